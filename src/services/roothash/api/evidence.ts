/**
 * Runtime equivocation evidence (`roothash.Evidence`, executor part): two commitments by the same node
 * for the same round and block with different results, both validly signed, prove the node lied at least
 * once; the roothash slashes it for `runtime-equivocation`.
 */
import { bytesEqual, u64be } from '../../../codec/bytes.ts';
import type { CborValue } from '../../../codec/cbor.ts';
import { field, hexCodec, optionalCodec, structCodec } from '../../../codec/typed.ts';
import { sha512_256 } from '../../../crypto/hash.ts';
import {
  commitmentVote,
  type ExecutorCommitment,
  executorCommitmentCodec,
  isFailureIndicating,
  verifyExecutorCommitment,
} from './commitment.ts';
import { RoothashErrors } from './errors.ts';

/** Body of `roothash.Evidence` (proposer equivocation is not supported). */
export const evidenceBodyCodec = structCodec({
  id: field(hexCodec(32)),
  equivocation_executor: field(
    optionalCodec(
      structCodec({ commit_a: field(executorCommitmentCodec), commit_b: field(executorCommitmentCodec) }),
    ),
    true,
  ),
});

/** A decoded `roothash.Evidence` body. */
export type EvidenceBody = ReturnType<typeof evidenceBodyCodec.decode>;

/** Decodes an Evidence body (a codec error when malformed or absent). */
export function decodeEvidenceBody(body: CborValue | undefined): EvidenceBody {
  return evidenceBodyCodec.decode(body ?? null, 'body');
}

/**
 * Checks that the two commitments equivocate (oasis-core `ValidateBasic` + signature checks): same
 * node, round and previous block, both with results and valid signatures, different votes. Returns the
 * offending node and the round; throws `roothash`/9 otherwise.
 */
export function verifyExecutorEquivocation(
  a: ExecutorCommitment,
  b: ExecutorCommitment,
  runtimeId: Uint8Array,
  chainContext: string,
): { node: Uint8Array; round: bigint } {
  const ha = a.header.header;
  const hb = b.header.header;
  const equivocates =
    bytesEqual(a.node_id, b.node_id) &&
    ha.round === hb.round &&
    bytesEqual(ha.previous_hash, hb.previous_hash) &&
    !isFailureIndicating(a) &&
    !isFailureIndicating(b) &&
    commitmentVote(a) !== commitmentVote(b);
  if (!equivocates) throw RoothashErrors.invalidEvidence();
  if (
    !verifyExecutorCommitment(a, runtimeId, chainContext) ||
    !verifyExecutorCommitment(b, runtimeId, chainContext)
  ) {
    throw RoothashErrors.invalidEvidence();
  }
  return { node: a.node_id, round: ha.round };
}

/** What identifies one offence (one node, one round), so it is punished once. */
export function evidenceHash(node: Uint8Array, round: bigint): Uint8Array {
  return sha512_256(node, u64be(round));
}
