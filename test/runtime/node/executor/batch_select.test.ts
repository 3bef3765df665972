/**
 * A scheduler's batch from checked candidates: valid transactions in, stale ones out of the pool, and a
 * future nonce in only right after its sender's previous nonce in the same batch.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isFutureNonce, selectBatch } from '../../../../src/runtime/node/executor/batch_select.ts';
import type { CheckTxResult } from '../../../../src/runtime/protocol/types.ts';

const tx = (tag: number) => new Uint8Array(4).fill(tag);
const meta = (sender: number, seq: bigint) => ({
  priority: 1n,
  sender: new Uint8Array(21).fill(sender),
  sender_seq: seq,
});
const ok = (sender: number, seq: bigint): CheckTxResult => ({ error: {}, meta: meta(sender, seq) });
const future = (sender: number, seq: bigint): CheckTxResult => ({
  error: { module: 'core', code: 26, message: 'future nonce' },
  meta: meta(sender, seq),
});
const stale: CheckTxResult = { error: { module: 'core', code: 4, message: 'invalid nonce' } };

describe('batch selection', () => {
  it('takes valid transactions and future nonces that follow them, drops stale ones', () => {
    const candidates = [1, 2, 3, 4, 5, 6, 7].map(tx);
    const results = [
      ok(1, 5n),
      future(1, 6n), // follows 5: in
      future(1, 8n), // gap at 7: waits
      stale,
      future(2, 3n), // sender 2 has nothing before it here: waits
      { error: {} }, // valid, no metadata: in
      ok(3, 0n),
    ];
    const { batch, stale: dropped } = selectBatch(candidates, results);
    assert.deepEqual(batch, [tx(1), tx(2), tx(6), tx(7)]);
    assert.deepEqual(dropped, [tx(4)]);
  });

  it('treats a missing result as stale and a future nonce without metadata as stale', () => {
    const noMeta: CheckTxResult = { error: { module: 'core', code: 26 } };
    assert.equal(isFutureNonce(noMeta), false);
    assert.equal(isFutureNonce(future(1, 1n)), true);
    const { batch, stale: dropped } = selectBatch([tx(1), tx(2)], [noMeta]);
    assert.deepEqual(batch, []);
    assert.deepEqual(dropped, [tx(1), tx(2)]);
  });
});
