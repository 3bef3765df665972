/**
 * Executor commitments (`go/roothash/api/commitment/executor.go`): a committee member's signed claim of
 * a round's results. The node signs CBOR(ExecutorCommitmentHeader) under the executor-commitment context
 * bound to the runtime and the chain; the pool compares the SHA-512/256 of the compute results header.
 */
import { toHex } from '../../../codec/bytes.ts';
import { encodeCanonical } from '../../../codec/cbor.ts';
import {
  arrayCodec,
  bytesCodec,
  field,
  hexCodec,
  optionalCodec,
  structCodec,
  u64Codec,
  uintCodec,
  withDefault,
} from '../../../codec/typed.ts';
import { Contexts, fullContext, signerMessage, withRuntimeSuffix } from '../../../crypto/context.ts';
import { type Ed25519KeyPair, verifyRaw } from '../../../crypto/ed25519.ts';
import { sha512_256 } from '../../../crypto/hash.ts';
import { runtimeMessageCodec } from './messages.ts';

/** Failure kinds a worker may report instead of results (`ExecutorCommitmentFailure`). */
export const CommitmentFailure = Object.freeze({ none: 0, unknown: 1, stateUnavailable: 2 });

const optionalHash = () => field(optionalCodec(hexCodec(32)), true);

/** The results a worker computed for a round (`ComputeResultsHeader`). */
export const computeResultsHeaderCodec = structCodec({
  round: field(u64Codec),
  previous_hash: field(hexCodec(32)),
  io_root: optionalHash(),
  state_root: optionalHash(),
  messages_hash: optionalHash(),
  in_msgs_hash: optionalHash(),
  in_msgs_count: field(
    withDefault(uintCodec, () => 0),
    true,
  ),
});

/** A compute results header. */
export type ComputeResultsHeader = ReturnType<typeof computeResultsHeaderCodec.decode>;

/** What a worker signs (`ExecutorCommitmentHeader`). */
export const executorCommitmentHeaderCodec = structCodec({
  scheduler_id: field(bytesCodec(32)),
  header: field(computeResultsHeaderCodec),
  failure: field(
    withDefault(uintCodec, () => 0),
    true,
  ),
  rak_sig: field(optionalCodec(bytesCodec(64)), true),
});

/** An executor commitment header. */
export type ExecutorCommitmentHeader = ReturnType<typeof executorCommitmentHeaderCodec.decode>;

/** A signed executor commitment; the scheduler's carries the round's messages. */
export const executorCommitmentCodec = structCodec({
  node_id: field(bytesCodec(32)),
  header: field(executorCommitmentHeaderCodec),
  sig: field(bytesCodec(64)),
  messages: field(arrayCodec(runtimeMessageCodec), true),
});

/** An executor commitment. */
export type ExecutorCommitment = ReturnType<typeof executorCommitmentCodec.decode>;

/** The full signature context for a runtime's commitments on a chain. */
function commitmentContext(runtimeId: Uint8Array, chainContext: string): string {
  return fullContext(withRuntimeSuffix(Contexts.executorCommitment, toHex(runtimeId)), chainContext);
}

function signedBytes(header: ExecutorCommitmentHeader): Uint8Array {
  return encodeCanonical(executorCommitmentHeaderCodec.encode(header));
}

/** Signs a commitment header as node `signer` (what an executor worker submits). */
export function signExecutorCommitment(
  signer: Ed25519KeyPair,
  runtimeId: Uint8Array,
  chainContext: string,
  header: ExecutorCommitmentHeader,
  messages: ExecutorCommitment['messages'] = [],
): ExecutorCommitment {
  const sig = signer.signRaw(signerMessage(commitmentContext(runtimeId, chainContext), signedBytes(header)));
  return { node_id: signer.publicKey, header, sig, messages };
}

/** True when the commitment's signature by `node_id` verifies for this runtime and chain. */
export function verifyExecutorCommitment(
  c: ExecutorCommitment,
  runtimeId: Uint8Array,
  chainContext: string,
): boolean {
  const msg = signerMessage(commitmentContext(runtimeId, chainContext), signedBytes(c.header));
  return verifyRaw(c.node_id, msg, c.sig);
}

/** The pool's vote: SHA-512/256 of CBOR(ComputeResultsHeader); equal votes mean equal results. */
export function commitmentVote(c: ExecutorCommitment): string {
  return toHex(sha512_256(encodeCanonical(computeResultsHeaderCodec.encode(c.header.header))));
}

/** True when the commitment reports a failure instead of results. */
export function isFailureIndicating(c: ExecutorCommitment): boolean {
  return c.header.failure !== CommitmentFailure.none;
}

function computeResultsMessage(h: ComputeResultsHeader): Uint8Array {
  const context = fullContext(Contexts.computeResultsHeader);
  return signerMessage(context, encodeCanonical(computeResultsHeaderCodec.encode(h)));
}

/** A runtime attestation key's signature over the results (what a TEE runtime adds as `rak_sig`). */
export function signComputeResults(rak: Ed25519KeyPair, h: ComputeResultsHeader): Uint8Array {
  return rak.signRaw(computeResultsMessage(h));
}

/** True when `rak_sig` is present and signs the commitment's results under `rak`. */
export function verifyRakSignature(c: ExecutorCommitment, rak: Uint8Array): boolean {
  const sig = c.header.rak_sig;
  return sig !== undefined && verifyRaw(rak, computeResultsMessage(c.header.header), sig);
}
