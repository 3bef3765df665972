/**
 * Roothash events (`roothash.Event` variants), each carrying the runtime ID: a commitment accepted, a
 * discrepancy detected (by disagreement or at a timeout), a round finalized, each runtime message's
 * result, and each incoming message a finalized round processed.
 */
import type { ServiceContext } from '../../mux/context.ts';
import { type ExecutorCommitment, executorCommitmentCodec } from './commitment.ts';
import { ROOTHASH_MODULE } from './errors.ts';
import type { IncomingMessage } from './incoming.ts';
import { type MessageEvent, messageEventCodec } from './messages.ts';

/** Event kinds as oasis-core's event field names. */
export const RoothashEventKinds = Object.freeze({
  executorCommitted: 'executor_committed',
  executionDiscrepancy: 'execution_discrepancy',
  finalized: 'finalized',
  message: 'message',
  inMsgProcessed: 'in_msg_processed',
});

/** Emitters for the roothash events. */
export const emitRoothash = Object.freeze({
  executorCommitted(ctx: ServiceContext, runtimeId: Uint8Array, commit: ExecutorCommitment): void {
    ctx.emit(ROOTHASH_MODULE, RoothashEventKinds.executorCommitted, {
      runtime_id: runtimeId,
      commit: executorCommitmentCodec.encode(commit),
    });
  },
  executionDiscrepancy(ctx: ServiceContext, runtimeId: Uint8Array, rank: bigint, timeout: boolean): void {
    ctx.emit(ROOTHASH_MODULE, RoothashEventKinds.executionDiscrepancy, {
      runtime_id: runtimeId,
      rank,
      timeout,
    });
  },
  finalized(ctx: ServiceContext, runtimeId: Uint8Array, round: bigint): void {
    ctx.emit(ROOTHASH_MODULE, RoothashEventKinds.finalized, { runtime_id: runtimeId, round });
  },
  message(ctx: ServiceContext, runtimeId: Uint8Array, event: MessageEvent): void {
    ctx.emit(ROOTHASH_MODULE, RoothashEventKinds.message, {
      runtime_id: runtimeId,
      ...(messageEventCodec.encode(event) as object),
    });
  },
  /** `InMsgProcessedEvent {id, round, caller, tag?}`: the message left the queue in `round`. */
  inMsgProcessed(ctx: ServiceContext, runtimeId: Uint8Array, round: bigint, m: IncomingMessage): void {
    ctx.emit(ROOTHASH_MODULE, RoothashEventKinds.inMsgProcessed, {
      runtime_id: runtimeId,
      id: m.id,
      round,
      caller: m.caller,
      ...(m.tag === 0n ? {} : { tag: m.tag }),
    });
  },
});
