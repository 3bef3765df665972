/**
 * Which of the pool's candidates a scheduler proposes, given the runtime's check of each against the
 * latest state: the valid ones, and those whose only fault is a future nonce when the sender's earlier
 * transactions in the same batch close the gap (the pool keeps each sender's in nonce order); stale ones
 * (any other error, e.g. a nonce already used) leave the pool; the rest wait for a later round.
 */
import { toHex } from '../../../codec/bytes.ts';
import { CORE_MODULE, CoreErrorCode } from '../../protocol/core_errors.ts';
import type { CheckTxResult } from '../../protocol/types.ts';

/** A scheduler's choice among checked candidates. */
export interface BatchSelection {
  batch: Uint8Array[];
  /** No longer valid: to drop from the pool. */
  stale: Uint8Array[];
}

/** True when a check refused a transaction for a nonce ahead of the state only. */
export function isFutureNonce(r: CheckTxResult | undefined): boolean {
  return (
    r?.error.module === CORE_MODULE && r.error.code === CoreErrorCode.futureNonce && r.meta !== undefined
  );
}

/** Splits `candidates` (in pool order) by their check `results` (same order). */
export function selectBatch(candidates: Uint8Array[], results: CheckTxResult[]): BatchSelection {
  const batch: Uint8Array[] = [];
  const stale: Uint8Array[] = [];
  /** Per sender, the nonce that follows its last transaction in the batch. */
  const next = new Map<string, bigint>();
  candidates.forEach((tx, i) => {
    const r = results[i];
    const ok = r !== undefined && (r.error.code ?? 0) === 0;
    if (!ok && !isFutureNonce(r)) {
      stale.push(tx);
      return;
    }
    const meta = r!.meta;
    if (meta === undefined) {
      batch.push(tx);
      return;
    }
    const sender = toHex(meta.sender);
    if (!ok && next.get(sender) !== meta.sender_seq) return;
    batch.push(tx);
    next.set(sender, meta.sender_seq + 1n);
  });
  return { batch, stale };
}
