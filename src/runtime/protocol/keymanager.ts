/**
 * What a confidential runtime asks the key manager for and gets back, declared once for every hop (runtime
 * → host over the host protocol, compute node → key manager node over P2P): a key pair named by
 * `key_pair_id`, either ephemeral (for one epoch, used for call-data encryption) or long-term (used for state
 * encryption), with its X25519 public key signed by the key manager as oasis-core's `SignedPublicKey`, which
 * `core.CallDataPublicKey` hands to clients.
 */
import { u64be } from '../../codec/bytes.ts';
import { bytes, type Decoder, optional, struct, u64 } from '../../codec/schema.ts';
import type { SignatureContext } from '../../crypto/context.ts';
import { type Ed25519KeyPair, SIGNATURE_SIZE } from '../../crypto/ed25519.ts';
import { HASH_SIZE } from '../../crypto/hash.ts';
import { X25519_KEY_SIZE } from '../../crypto/mrae.ts';
import { signBytes, verifySignature } from '../../crypto/signature.ts';

/** oasis-core's context of key manager public key signatures (not chain-bound). */
export const PUBLIC_KEY_SIGNATURE_CONTEXT: SignatureContext = Object.freeze({
  base: 'oasis-core/keymanager: pk signature',
  chainSeparated: false,
});

/** Epochs an ephemeral public key stays valid after its own (oasis-core's expiration = epoch + 10). */
export const EPHEMERAL_KEY_LIFETIME = 10n;

/** A key request from a runtime (the host fills in which runtime). */
export interface RuntimeKeyRequest {
  key_pair_id: Uint8Array;
  /** Present: the ephemeral key pair of that epoch; absent: the long-term key pair (generation 0). */
  epoch?: bigint;
}

/** A key request as the key manager receives it. */
export interface KeyRequest extends RuntimeKeyRequest {
  runtime_id: Uint8Array;
}

/** oasis-core `SignedPublicKey`. */
export interface SignedPublicKey {
  key: Uint8Array;
  /** Checksum of the key manager's master secret. */
  checksum: Uint8Array;
  signature: Uint8Array;
  expiration?: bigint;
}

/** A key pair handed to a runtime. */
export interface KeyPair {
  /** X25519 secret (call-data decryption). */
  secret: Uint8Array;
  /** Symmetric key (state encryption). */
  state_key: Uint8Array;
  public_key: SignedPublicKey;
}

const hash = bytes(HASH_SIZE);

/** Decodes a runtime's key request. */
export const runtimeKeyRequestDecoder: Decoder<RuntimeKeyRequest> = struct({
  key_pair_id: hash,
  epoch: optional(u64),
});

/** Decodes a key request. */
export const keyRequestDecoder: Decoder<KeyRequest> = struct({
  runtime_id: hash,
  key_pair_id: hash,
  epoch: optional(u64),
});

/** Decodes a signed public key. */
export const signedPublicKeyDecoder: Decoder<SignedPublicKey> = struct({
  key: bytes(X25519_KEY_SIZE),
  checksum: hash,
  signature: bytes(SIGNATURE_SIZE),
  expiration: optional(u64),
});

/** Decodes a key pair. */
export const keyPairDecoder: Decoder<KeyPair> = struct({
  secret: bytes(X25519_KEY_SIZE),
  state_key: bytes(32),
  public_key: signedPublicKeyDecoder,
});

/** The bytes a public key signature covers (oasis-core `SignedPublicKey::body`). */
function signatureBody(
  key: Uint8Array,
  checksum: Uint8Array,
  request: KeyRequest,
  expiration: bigint | undefined,
): Uint8Array {
  const parts = [key, checksum, request.runtime_id, request.key_pair_id];
  if (request.epoch !== undefined) parts.push(u64be(request.epoch));
  if (expiration !== undefined) parts.push(u64be(expiration));
  return Buffer.concat(parts);
}

/** Signs a public key for `request` with the key manager's signing key. */
export function signPublicKey(
  signer: Ed25519KeyPair,
  key: Uint8Array,
  checksum: Uint8Array,
  request: KeyRequest,
): SignedPublicKey {
  const expiration = request.epoch !== undefined ? request.epoch + EPHEMERAL_KEY_LIFETIME : undefined;
  const body = signatureBody(key, checksum, request, expiration);
  const { signature } = signBytes(signer, PUBLIC_KEY_SIGNATURE_CONTEXT, body);
  return { key, checksum, signature, ...(expiration !== undefined ? { expiration } : {}) };
}

/** Whether `signed` is `signerPublicKey`'s signature of a public key for `request`. */
export function verifyPublicKey(
  signed: SignedPublicKey,
  signerPublicKey: Uint8Array,
  request: KeyRequest,
): boolean {
  const body = signatureBody(signed.key, signed.checksum, request, signed.expiration);
  return verifySignature(
    { public_key: signerPublicKey, signature: signed.signature },
    PUBLIC_KEY_SIGNATURE_CONTEXT,
    body,
  );
}
