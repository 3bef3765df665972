/**
 * The "MRAE box" oasis-core and the runtime SDK use for confidential calls: an X25519 key agreement whose
 * shared point is hashed with HMAC-SHA-512/256 (key "MRAE_Box_Deoxys-II-256-128") into a Deoxys-II-256-128
 * key, then AEAD with a 15-byte nonce and a 16-byte tag appended. Both directions of an exchange use the
 * same key (X25519 is symmetric), so a result is sealed with the runtime's secret and the caller's public key.
 */
import { x25519 } from '@noble/curves/ed25519.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha512_256 } from '@noble/hashes/sha2.js';
import { AEAD, ErrOpen } from '@oasisprotocol/deoxysii';
import { utf8 } from '../codec/bytes.ts';

/** X25519 key size (public and secret). */
export const X25519_KEY_SIZE = 32;
/** Deoxys-II nonce size. */
export const MRAE_NONCE_SIZE = 15;
/** Deoxys-II tag size (appended to every ciphertext). */
export const MRAE_TAG_SIZE = 16;

const BOX_KEY_CONTEXT = utf8('MRAE_Box_Deoxys-II-256-128');

/** Raised when a ciphertext does not open (wrong key, nonce or tampered bytes). */
export class MraeOpenError extends Error {
  constructor() {
    super(ErrOpen);
    this.name = 'MraeOpenError';
  }
}

/** The X25519 public key of a 32-byte secret. */
export function x25519PublicKey(secret: Uint8Array): Uint8Array {
  return x25519.getPublicKey(secret);
}

/** The symmetric box key shared by `secret`'s owner and `peerPublic`'s owner. */
export function mraeBoxKey(secret: Uint8Array, peerPublic: Uint8Array): Uint8Array {
  if (secret.length !== X25519_KEY_SIZE || peerPublic.length !== X25519_KEY_SIZE)
    throw new RangeError('X25519 keys are 32 bytes');
  return hmac(sha512_256, BOX_KEY_CONTEXT, x25519.getSharedSecret(secret, peerPublic));
}

/**
 * A Deoxys-II key whose key schedule is derived once, for callers that seal or open many times under one key
 * (confidential contract storage); `mraeSeal`/`mraeOpen` are the one-shot forms.
 */
export class MraeKey {
  readonly #aead: AEAD;

  constructor(key: Uint8Array) {
    // The AEAD takes ownership of (and may wipe) the key it is given.
    this.#aead = new AEAD(key.slice());
  }

  /** Seals `plaintext`: ciphertext ‖ tag. */
  seal(nonce: Uint8Array, plaintext: Uint8Array, associatedData?: Uint8Array): Uint8Array {
    return this.#aead.encrypt(nonce, plaintext, associatedData ?? null);
  }

  /** Opens `ciphertext`; throws `MraeOpenError` when the tag does not verify. */
  open(nonce: Uint8Array, ciphertext: Uint8Array, associatedData?: Uint8Array): Uint8Array {
    try {
      return this.#aead.decrypt(nonce, ciphertext, associatedData ?? null);
    } catch (err) {
      // The library throws its error string itself, not an Error.
      if (err === ErrOpen || (err as Error | undefined)?.message === ErrOpen) throw new MraeOpenError();
      throw err;
    }
  }
}

/** Deoxys-II seal of `plaintext` under a 32-byte key: ciphertext ‖ tag. */
export function mraeSeal(
  key: Uint8Array,
  nonce: Uint8Array,
  plaintext: Uint8Array,
  associatedData?: Uint8Array,
): Uint8Array {
  return new MraeKey(key).seal(nonce, plaintext, associatedData);
}

/** Deoxys-II open; throws `MraeOpenError` when the tag does not verify. */
export function mraeOpen(
  key: Uint8Array,
  nonce: Uint8Array,
  ciphertext: Uint8Array,
  associatedData?: Uint8Array,
): Uint8Array {
  return new MraeKey(key).open(nonce, ciphertext, associatedData);
}
