/**
 * Ed25519 over node:crypto (OpenSSL) with one cached KeyObject per public key, plus the checks that make
 * validity independent of the OpenSSL build: small-order public keys and R values are rejected (as
 * oasis-core's curve25519-voi options do) and S must be canonical (S < L).
 */
import {
  createPrivateKey,
  createPublicKey,
  type KeyObject,
  sign as nodeSign,
  verify as nodeVerify,
} from 'node:crypto';
import { bytesKey, concatBytes } from '../codec/bytes.ts';

/** Public key size. */
export const PUBLIC_KEY_SIZE = 32;
/** Signature size. */
export const SIGNATURE_SIZE = 64;
/** Private seed size. */
export const SEED_SIZE = 32;

const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** Group order L of the Ed25519 base point. */
const L = (1n << 252n) + 27742317777372353535851937790883648493n;
const P = (1n << 255n) - 19n;

function leToBigint(bytes: Uint8Array): bigint {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]!);
  return n;
}

/**
 * The y-coordinates (sign bit cleared, as 255-bit integers) of every encoding of a point of order 1, 2, 4
 * or 8, canonical or not: identity (y=1), order 2 (y=p-1), order 4 (y=0), order 8 (y=±y8), and the
 * non-canonical y+p forms of 0 and 1. Either sign bit maps to one of these.
 */
const Y8 = 0x7a03ac9277fdc74ec6cc392cfa53202a0f67100d760b3cba4fd84d3d706a17c7n;
const SMALL_ORDER_Y = new Set<bigint>([0n, 1n, P - 1n, Y8, P - Y8, P, P + 1n]);

/** True when `encoded` is an encoding of a point of small order (order dividing 8). */
export function isSmallOrderPoint(encoded: Uint8Array): boolean {
  if (encoded.length !== 32) return false;
  const y = leToBigint(encoded) & ((1n << 255n) - 1n);
  return SMALL_ORDER_Y.has(y);
}

const keyCache = new Map<string, KeyObject>();
const KEY_CACHE_LIMIT = 4096;

/** The cached node:crypto KeyObject of a 32-byte public key (created once, reused for every verification). */
export function publicKeyObject(publicKey: Uint8Array): KeyObject {
  const id = bytesKey(publicKey);
  let key = keyCache.get(id);
  if (key === undefined) {
    key = createPublicKey({ key: Buffer.concat([SPKI_PREFIX, publicKey]), format: 'der', type: 'spki' });
    if (keyCache.size >= KEY_CACHE_LIMIT) keyCache.delete(keyCache.keys().next().value!);
    keyCache.set(id, key);
  }
  return key;
}

let verifyMemo: Map<string, boolean> | null = null;
let memoOwnSignatures = false;
const VERIFY_MEMO_LIMIT = 1 << 16;

/**
 * Turns on (or off) a memo of verification outcomes keyed by the exact public key, signature and message
 * bytes, starting empty. For the consensus simulator, where every simulated node verifies the same gossiped
 * signatures: the outcome is a pure function of those bytes, so nothing checked changes and the first
 * verification of each triple still runs in full. With `ownSignatures`, signatures this process makes are
 * entered as valid when made (OpenSSL's sign/verify agreement is not what a simulation tests), so only
 * signatures from elsewhere — tampered or forged ones — reach OpenSSL. Never turned on in a node.
 */
export function useVerifyMemo(on: boolean, ownSignatures = false): void {
  verifyMemo = on ? new Map() : null;
  memoOwnSignatures = on && ownSignatures;
}

function remember(id: string, ok: boolean): void {
  if (verifyMemo === null) return;
  if (verifyMemo.size >= VERIFY_MEMO_LIMIT) verifyMemo.clear();
  verifyMemo.set(id, ok);
}

/**
 * Verifies a raw Ed25519 signature of `message` by `publicKey`. Returns false (never throws) for malformed
 * keys or signatures, small-order keys or R, or a non-canonical S.
 */
export function verifyRaw(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (publicKey.length !== PUBLIC_KEY_SIZE || signature.length !== SIGNATURE_SIZE) return false;
  if (verifyMemo === null) return verifyUncached(publicKey, message, signature);
  const id = bytesKey(publicKey) + bytesKey(signature) + bytesKey(message);
  let ok = verifyMemo.get(id);
  if (ok === undefined) {
    ok = verifyUncached(publicKey, message, signature);
    remember(id, ok);
  }
  return ok;
}

function verifyUncached(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  if (isSmallOrderPoint(publicKey) || isSmallOrderPoint(signature.subarray(0, 32))) return false;
  if (leToBigint(signature.subarray(32)) >= L) return false;
  try {
    return nodeVerify(null, message, publicKeyObject(publicKey), signature);
  } catch {
    return false;
  }
}

/** An Ed25519 key pair held in memory. */
export class Ed25519KeyPair {
  /** 32-byte public key. */
  readonly publicKey: Uint8Array;
  readonly #seed: Uint8Array;
  readonly #privateKey: KeyObject;

  private constructor(seed: Uint8Array, privateKey: KeyObject, publicKey: Uint8Array) {
    this.#seed = seed;
    this.#privateKey = privateKey;
    this.publicKey = publicKey;
  }

  /** Derives the key pair of a 32-byte seed (RFC 8032). */
  static fromSeed(seed: Uint8Array): Ed25519KeyPair {
    if (seed.length !== SEED_SIZE) throw new RangeError(`ed25519 seed must be ${SEED_SIZE} bytes`);
    const privateKey = createPrivateKey({
      key: Buffer.concat([PKCS8_PREFIX, seed]),
      format: 'der',
      type: 'pkcs8',
    });
    const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
    const publicKey = new Uint8Array(spki.subarray(SPKI_PREFIX.length));
    return new Ed25519KeyPair(new Uint8Array(seed), privateKey, publicKey);
  }

  /** Raw Ed25519 signature of `message`. */
  signRaw(message: Uint8Array): Uint8Array {
    const signature = new Uint8Array(nodeSign(null, message, this.#privateKey));
    if (memoOwnSignatures) remember(bytesKey(this.publicKey) + bytesKey(signature) + bytesKey(message), true);
    return signature;
  }

  /** The 32-byte seed (for writing key files only). */
  seed(): Uint8Array {
    return new Uint8Array(this.#seed);
  }

  /** The 64-byte private key as Go and tweetnacl lay it out: seed || public key. */
  expandedPrivateKey(): Uint8Array {
    return concatBytes(this.#seed, this.publicKey);
  }
}
