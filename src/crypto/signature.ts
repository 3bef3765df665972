/**
 * Signed envelopes in the oasis-core shape: `Signed {untrusted_raw_value, signature{public_key, signature}}`
 * and `MultiSigned {untrusted_raw_value, signatures[]}`. The raw value is CBOR bytes; it is "untrusted"
 * until `open` has verified the signature under the right context.
 */

import { type CborValue, decodeCanonical, encodeCanonical } from '../codec/cbor.ts';
import type { Decoder } from '../codec/schema.ts';
import { arrayOf, bytes, struct } from '../codec/schema.ts';
import { CodedError } from '../errors.ts';
import { fullContext, type SignatureContext, signerMessage } from './context.ts';
import { type Ed25519KeyPair, PUBLIC_KEY_SIZE, SIGNATURE_SIZE, verifyRaw } from './ed25519.ts';

/** A signature together with the public key that made it. */
export interface Signature {
  public_key: Uint8Array;
  signature: Uint8Array;
}

/** A CBOR blob with one signature over it. */
export interface Signed {
  untrusted_raw_value: Uint8Array;
  signature: Signature;
}

/** A CBOR blob with several signatures over it. */
export interface MultiSigned {
  untrusted_raw_value: Uint8Array;
  signatures: Signature[];
}

/** Decoder of a `Signature`. */
export const signatureDecoder: Decoder<Signature> = struct({
  public_key: bytes(PUBLIC_KEY_SIZE),
  signature: bytes(SIGNATURE_SIZE),
});

/** Decoder of a `Signed` envelope. */
export const signedDecoder: Decoder<Signed> = struct({
  untrusted_raw_value: bytes(),
  signature: signatureDecoder,
});

/** Decoder of a `MultiSigned` envelope. */
export const multiSignedDecoder: Decoder<MultiSigned> = struct({
  untrusted_raw_value: bytes(),
  signatures: arrayOf(signatureDecoder, 64),
});

/** Error module for signature failures that oasis-core reports uncoded. */
export const SIGNATURE_MODULE = 'signature';

/** Signs `message` under `context` (bound to `chainContext` when the context requires it). */
export function signBytes(
  signer: Ed25519KeyPair,
  context: SignatureContext,
  message: Uint8Array,
  chainContext?: string,
): Signature {
  const digest = signerMessage(fullContext(context, chainContext), message);
  return { public_key: signer.publicKey, signature: signer.signRaw(digest) };
}

/** Verifies a signature over `message` under `context`. Never throws for bad input; returns false. */
export function verifySignature(
  sig: Signature,
  context: SignatureContext,
  message: Uint8Array,
  chainContext?: string,
): boolean {
  let full: string;
  try {
    full = fullContext(context, chainContext);
  } catch {
    return false;
  }
  return verifyRaw(sig.public_key, signerMessage(full, message), sig.signature);
}

/** Encodes `value` as CBOR and signs it into a `Signed` envelope. */
export function signValue(
  signer: Ed25519KeyPair,
  context: SignatureContext,
  value: unknown,
  chainContext?: string,
): Signed {
  const raw = encodeCanonical(value);
  return { untrusted_raw_value: raw, signature: signBytes(signer, context, raw, chainContext) };
}

/** Encodes `value` and signs it with every signer into a `MultiSigned` envelope. */
export function multiSignValue(
  signers: Ed25519KeyPair[],
  context: SignatureContext,
  value: unknown,
  chainContext?: string,
): MultiSigned {
  const raw = encodeCanonical(value);
  return {
    untrusted_raw_value: raw,
    signatures: signers.map((s) => signBytes(s, context, raw, chainContext)),
  };
}

/**
 * Verifies a `Signed` envelope and decodes its raw value. Throws `CodedError(signature, 1)` on a bad
 * signature and `CodecError` on a malformed value.
 */
export function openSigned(signed: Signed, context: SignatureContext, chainContext?: string): CborValue {
  if (!verifySignature(signed.signature, context, signed.untrusted_raw_value, chainContext)) {
    throw new CodedError(SIGNATURE_MODULE, 1, 'signature verification failed');
  }
  return decodeCanonical(signed.untrusted_raw_value);
}

/**
 * Verifies every signature of a `MultiSigned` envelope (at least one, no key twice) and decodes its raw
 * value. Callers check that the right keys signed.
 */
export function openMultiSigned(
  ms: MultiSigned,
  context: SignatureContext,
  chainContext?: string,
): CborValue {
  if (ms.signatures.length === 0) throw new CodedError(SIGNATURE_MODULE, 1, 'no signatures');
  const seen = new Set<string>();
  for (const sig of ms.signatures) {
    const id = Buffer.from(sig.public_key).toString('hex');
    if (seen.has(id)) throw new CodedError(SIGNATURE_MODULE, 1, 'duplicate signer');
    seen.add(id);
    if (!verifySignature(sig, context, ms.untrusted_raw_value, chainContext)) {
      throw new CodedError(SIGNATURE_MODULE, 1, 'signature verification failed');
    }
  }
  return decodeCanonical(ms.untrusted_raw_value);
}
