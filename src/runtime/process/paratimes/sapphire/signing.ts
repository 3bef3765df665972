/**
 * The signature schemes Sapphire's signing precompiles offer (runtime-sdk `crypto/signature`, numbered as
 * `SignatureType::as_int` and `Sapphire.SigningAlg`): key pairs from a seed, signing and verification by
 * scheme. Keys and signatures are in runtime-sdk's encodings (Ed25519: 32-byte seed and key, 64-byte
 * signature; ECDSA: big-endian scalar, compressed SEC1 point, DER signature with RFC 6979 nonces), so a
 * signature made here verifies there and the reverse. Sr25519 (6) is not offered: it is refused as an
 * unsupported scheme.
 */

import { eddsa } from '@noble/curves/abstract/edwards.js';
import { ed25519 } from '@noble/curves/ed25519.js';
import { p256, p384 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha512, sha512_256 } from '@noble/hashes/sha2.js';
import { concatBytes, utf8 } from '../../../../codec/bytes.ts';

/** Scheme numbers, as contracts pass them. */
export enum SigningAlg {
  Ed25519Oasis = 0,
  Ed25519Pure = 1,
  Ed25519PrehashedSha512 = 2,
  Secp256k1Oasis = 3,
  Secp256k1PrehashedKeccak256 = 4,
  Secp256k1PrehashedSha256 = 5,
  Sr25519 = 6,
  Secp256r1PrehashedSha256 = 7,
  Secp384r1PrehashedSha384 = 8,
}

/** A signing request the scheme cannot serve (bad key, wrong digest size, unknown scheme). */
export class SigningError extends Error {
  override readonly name = 'SigningError';
}

/** A generated key pair in runtime-sdk's encodings. */
export interface SigningKeyPair {
  publicKey: Uint8Array;
  secretKey: Uint8Array;
}

type Ecdsa = typeof secp256k1;

/** One scheme: the key family plus how the message becomes what is signed. */
interface Scheme {
  family: 'ed25519' | Ecdsa;
  /** Digest length the prehashed schemes require in `contextOrHash`; absent when the message is hashed here. */
  digestLength?: number;
  /** For the Oasis schemes: sign SHA-512/256(context ‖ message). */
  oasis?: boolean;
  /** For Ed25519: RFC 8032 Ed25519ph over a given SHA-512 digest. */
  prehashedEd25519?: boolean;
  lowS: boolean;
}

const SCHEMES: ReadonlyMap<number, Scheme> = new Map<number, Scheme>([
  [SigningAlg.Ed25519Oasis, { family: 'ed25519', oasis: true, lowS: false }],
  [SigningAlg.Ed25519Pure, { family: 'ed25519', lowS: false }],
  [
    SigningAlg.Ed25519PrehashedSha512,
    { family: 'ed25519', digestLength: 64, prehashedEd25519: true, lowS: false },
  ],
  [SigningAlg.Secp256k1Oasis, { family: secp256k1, oasis: true, lowS: true }],
  [SigningAlg.Secp256k1PrehashedKeccak256, { family: secp256k1, digestLength: 32, lowS: true }],
  [SigningAlg.Secp256k1PrehashedSha256, { family: secp256k1, digestLength: 32, lowS: true }],
  [SigningAlg.Secp256r1PrehashedSha256, { family: p256 as Ecdsa, digestLength: 32, lowS: false }],
  [SigningAlg.Secp384r1PrehashedSha384, { family: p384 as Ecdsa, digestLength: 48, lowS: false }],
]);

/** True for the scheme numbers this runtime signs and verifies with. */
export function isSupportedAlg(alg: number): boolean {
  return SCHEMES.has(alg);
}

function schemeOf(alg: number): Scheme {
  const scheme = SCHEMES.get(alg);
  if (scheme === undefined) throw new SigningError('unknown signature type');
  return scheme;
}

const PH_DOMAIN = utf8('SigEd25519 no Ed25519 collisions');

/** Ed25519ph whose "message" is already the SHA-512 digest (runtime-sdk's `sign_prehashed(digest, None)`). */
const ed25519PrehashedDigest = eddsa(ed25519.Point, sha512, {
  adjustScalarBytes: (bytes: Uint8Array) => {
    bytes[0]! &= 248;
    bytes[31]! &= 127;
    bytes[31]! |= 64;
    return bytes;
  },
  domain: (data: Uint8Array, ctx: Uint8Array, phflag: boolean) =>
    concatBytes(PH_DOMAIN, Uint8Array.of(phflag ? 1 : 0, ctx.length), ctx, data),
  prehash: (digest: Uint8Array) => digest,
});

/** What the scheme signs: the Oasis digest, the given digest, or the raw message. */
function signedBytes(scheme: Scheme, contextOrHash: Uint8Array, message: Uint8Array): Uint8Array {
  if (scheme.oasis === true) return sha512_256(concatBytes(contextOrHash, message));
  if (scheme.digestLength !== undefined) {
    if (contextOrHash.length !== scheme.digestLength) throw new SigningError('invalid digest length');
    return contextOrHash;
  }
  return message;
}

/** A key pair of scheme `alg` from `seed` (32 bytes; 48 for Secp384r1), as `MemorySigner::new_from_seed`. */
export function generateKeyPair(alg: number, seed: Uint8Array): SigningKeyPair {
  const scheme = schemeOf(alg);
  if (scheme.family === 'ed25519') {
    if (seed.length !== 32) throw new SigningError('Ed25519 seeds are 32 bytes');
    return { publicKey: ed25519.getPublicKey(seed), secretKey: seed.slice() };
  }
  if (!scheme.family.utils.isValidSecretKey(seed)) throw new SigningError('invalid ECDSA secret key');
  return { publicKey: scheme.family.getPublicKey(seed, true), secretKey: seed.slice() };
}

/** Signs with scheme `alg`; `contextOrHash` is the Oasis context or the prehashed schemes' digest. */
export function sign(
  alg: number,
  secretKey: Uint8Array,
  contextOrHash: Uint8Array,
  message: Uint8Array,
): Uint8Array {
  const scheme = schemeOf(alg);
  const bytes = signedBytes(scheme, contextOrHash, message);
  if (scheme.family === 'ed25519') {
    if (secretKey.length !== 32) throw new SigningError('Ed25519 secret keys are 32 bytes');
    return scheme.prehashedEd25519 === true
      ? ed25519PrehashedDigest.sign(bytes, secretKey)
      : ed25519.sign(bytes, secretKey);
  }
  if (!scheme.family.utils.isValidSecretKey(secretKey)) throw new SigningError('invalid ECDSA secret key');
  return scheme.family.sign(bytes, secretKey, { prehash: false, lowS: scheme.lowS, format: 'der' });
}

/** Whether `signature` is scheme `alg`'s over the inputs; a malformed public key is an error, a bad signature false. */
export function verify(
  alg: number,
  publicKey: Uint8Array,
  contextOrHash: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  const scheme = schemeOf(alg);
  let point: boolean;
  try {
    if (scheme.family === 'ed25519') ed25519.Point.fromBytes(publicKey);
    else scheme.family.Point.fromBytes(publicKey);
    point = true;
  } catch {
    point = false;
  }
  if (!point) throw new SigningError('error reading public key');
  let bytes: Uint8Array;
  try {
    bytes = signedBytes(scheme, contextOrHash, message);
  } catch {
    return false;
  }
  try {
    if (scheme.family === 'ed25519') {
      const api = scheme.prehashedEd25519 === true ? ed25519PrehashedDigest : ed25519;
      return api.verify(signature, bytes, publicKey, { zip215: false });
    }
    return scheme.family.verify(signature, bytes, publicKey, {
      prehash: false,
      lowS: scheme.lowS,
      format: 'der',
    });
  } catch {
    return false;
  }
}
