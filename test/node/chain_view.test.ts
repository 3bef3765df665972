import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TxResult } from '../../src/consensus/api/application.ts';
import type { Block } from '../../src/consensus/api/block.ts';
import { transactionHash } from '../../src/consensus/api/transaction.ts';
import { CodedError } from '../../src/errors.ts';
import { ChainView, type ChainViewOptions } from '../../src/node/chain_view.ts';
import type { BlockResults } from '../../src/storage/block_store.ts';

// Waiting on transactions touches none of the chain's stores.
const view = (submitTxTimeoutMs?: number) => new ChainView({ submitTxTimeoutMs } as ChainViewOptions);
const raw = new Uint8Array([1, 2, 3]);
const result: TxResult = { events: [], gasUsed: 7n };
const committed = (txs: Uint8Array[]) => ({ txs, header: { height: 5 } }) as Block;
const results = { txResults: [result] } as BlockResults;

describe('ChainView: callers waiting on a transaction', () => {
  it('answers every caller of a committed transaction with its result', async () => {
    const v = view();
    const waits = [
      v.waitForTx(transactionHash(raw), new AbortController().signal),
      v.waitForTx(transactionHash(raw), new AbortController().signal),
    ];
    v.onCommit(committed([raw]), new Uint8Array(32), results);
    const included = { result, height: 5, index: 0 };
    assert.deepEqual(await Promise.all(waits), [included, included]);
  });

  it('fails a caller after the SubmitTx deadline with mempool 2', async () => {
    const v = view(10);
    const late = assert.rejects(v.waitForTx(transactionHash(raw), new AbortController().signal), (e) =>
      CodedError.is(e, 'mempool', 2),
    );
    await sleep(30); // deadline timers do not keep the process alive
    await late;
  });

  it('fails the callers of a dropped transaction with the reason, and every caller when closing', async () => {
    const v = view();
    const stale = assert.rejects(v.waitForTx(transactionHash(raw), new AbortController().signal), (e) =>
      CodedError.is(e, 'consensus/transaction', 1),
    );
    v.failTx(transactionHash(raw), new CodedError('consensus/transaction', 1, 'invalid nonce'));
    await stale;
    const stopping = assert.rejects(
      v.waitForTx(transactionHash(raw), new AbortController().signal),
      /node stopping/,
    );
    v.close();
    await stopping;
  });
});
