/**
 * The last-sign state: what the validator signed last, and where. Persisted before every signature is
 * released, it is what keeps a restarted node (or a replaying engine) from contradicting itself.
 */
import { decodeCanonical, encodeCanonical } from '../../codec/cbor.ts';
import { bytes, enumOf, struct, uint } from '../../codec/schema.ts';
import { SIGNATURE_SIZE } from '../../crypto/ed25519.ts';
import { SignStep } from '../api/durability.ts';

/** The last signed position, its sign bytes and the signature released for them. */
export interface SignState {
  height: number;
  round: number;
  step: SignStep;
  signBytes: Uint8Array;
  signature: Uint8Array;
}

/** Largest sign bytes we persist (a vote or proposal's sign bytes are around a hundred bytes). */
export const MAX_SIGN_BYTES = 64 * 1024;

const signStateStruct = struct({
  height: uint,
  round: uint,
  step: enumOf([SignStep.propose, SignStep.prevote, SignStep.precommit] as const),
  sign_bytes: bytes(),
  signature: bytes(SIGNATURE_SIZE),
});

/** Canonical CBOR of a sign state (the file format of the last-sign-state file). */
export function encodeSignState(s: SignState): Uint8Array {
  return encodeCanonical({
    height: s.height,
    round: s.round,
    step: s.step,
    sign_bytes: s.signBytes,
    signature: s.signature,
  });
}

/** Strictly decodes a sign state; throws `CodecError` on anything malformed. */
export function decodeSignState(data: Uint8Array): SignState {
  const d = signStateStruct(decodeCanonical(data, MAX_SIGN_BYTES + 1024), 'sign_state');
  return { height: d.height, round: d.round, step: d.step, signBytes: d.sign_bytes, signature: d.signature };
}
