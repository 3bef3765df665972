/**
 * Roothash transaction methods and the ExecutorCommit body (`{id, commits}`); the SubmitMsg body lives
 * with the incoming message types.
 */
import type { CborValue } from '../../../codec/cbor.ts';
import { arrayCodec, field, hexCodec, structCodec } from '../../../codec/typed.ts';
import { executorCommitmentCodec } from './commitment.ts';

/** Method names. */
export const RoothashMethods = Object.freeze({
  executorCommit: 'roothash.ExecutorCommit',
  evidence: 'roothash.Evidence',
  submitMsg: 'roothash.SubmitMsg',
});

/** Body of `roothash.ExecutorCommit`. */
export const executorCommitBodyCodec = structCodec({
  id: field(hexCodec(32)),
  commits: field(arrayCodec(executorCommitmentCodec, 1024)),
});

/** A decoded `roothash.ExecutorCommit` body. */
export type ExecutorCommitBody = ReturnType<typeof executorCommitBodyCodec.decode>;

/** Decodes an ExecutorCommit body (a codec error when malformed or absent). */
export function decodeExecutorCommitBody(body: CborValue | undefined): ExecutorCommitBody {
  return executorCommitBodyCodec.decode(body ?? null, 'body');
}
