/** keep_last pruning of a runtime's history (real LMDB): old rounds go, the kept ones and a reopen stay sound. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { utf8 } from '../../../../src/codec/bytes.ts';
import { RuntimeHistory } from '../../../../src/runtime/node/executor/history.ts';
import {
  RUNTIME_PRUNE_BATCH_ROUNDS,
  RuntimeHistoryPruner,
} from '../../../../src/runtime/node/executor/history_pruner.ts';
import { runtimeConfigDecoder } from '../../../../src/runtime/node/options.ts';
import {
  type Block,
  genesisBlock,
  HeaderType,
  nextBlock,
} from '../../../../src/services/roothash/api/block.ts';

const dir = mkdtempSync(join(tmpdir(), 'oasis-ts-history-prune-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const root = (i: number) => new Uint8Array(32).fill(i % 256);
const fail = (err: Error) => assert.fail(err);

async function recordRounds(history: RuntimeHistory, rounds: number): Promise<void> {
  let b: Block = genesisBlock(new Uint8Array(32).fill(7), 0n, root(1), 1_000);
  for (let i = 0; i < rounds; i++) {
    await history.record({ consensusHeight: BigInt(10 + i), block: b }, [
      { tx: utf8(`tx ${i}`), result: utf8('ok'), events: [] },
    ]);
    b = nextBlock(b, 1_001 + i, HeaderType.normal, {
      io_root: root(i),
      state_root: root(i + 1),
      messages_hash: root(0),
      in_msgs_hash: root(0),
    });
  }
}

describe('runtime history pruning', () => {
  it('keeps the last num_kept rounds with their transactions, across a reopen', async () => {
    const path = join(dir, 'h');
    let history = RuntimeHistory.open(path);
    await recordRounds(history, 300);
    const pruner = new RuntimeHistoryPruner(
      history,
      { strategy: 'keep_last', num_kept: 100, interval: 1000 },
      fail,
    );
    assert.equal(await pruner.runOnce(), 200, `in batches of ${RUNTIME_PRUNE_BATCH_ROUNDS}`);
    assert.equal(history.earliest()?.block.header.round, 200n);
    assert.equal(history.block(199n), undefined);
    assert.deepEqual(history.transactions(199n), []);
    assert.deepEqual(history.transactions(200n)[0]?.tx, utf8('tx 200'));
    assert.equal(history.latest()?.block.header.round, 299n);
    assert.equal(await pruner.runOnce(), 0);
    await history.close();
    history = RuntimeHistory.open(path);
    assert.equal(history.earliest()?.block.header.round, 200n);
    await history.close();
  });

  it('lets go of the state of each pruned round, but not of a root a kept round still names', async () => {
    const history = RuntimeHistory.open(join(dir, 'release'));
    // Round 0 (genesis) and round 1 share a state root; every later round has its own.
    await recordRounds(history, 10);
    const released: number[] = [];
    const pruner = (numKept: number) =>
      new RuntimeHistoryPruner(
        history,
        { strategy: 'keep_last', num_kept: numKept, interval: 1000 },
        fail,
        (r) => released.push(r[0]!),
      );
    assert.equal(await pruner(9).runOnce(), 1);
    assert.deepEqual(released, [], "round 0's state is round 1's");
    assert.equal(await pruner(5).runOnce(), 4);
    assert.deepEqual(released, [1, 2, 3, 4]);
    await history.close();
  });

  it("reads runtimes[].prune as oasis-node's keys, and keeps everything by default", () => {
    const id = 'ab'.repeat(32);
    assert.equal(runtimeConfigDecoder({ id, paratime: 'accounts' }, 'runtimes[0]').prune, undefined);
    const r = runtimeConfigDecoder(
      { id, paratime: 'accounts', prune: { strategy: 'keep_last', num_kept: 10, interval: '30s' } },
      'runtimes[0]',
    );
    assert.deepEqual(r.prune, { strategy: 'keep_last', num_kept: 10, interval: 30_000 });
    assert.throws(
      () => runtimeConfigDecoder({ id, paratime: 'accounts', prune: { strategy: 'keep_n' } }, 'runtimes[0]'),
      /runtimes\[0\]\.prune\.strategy/,
    );
    assert.throws(
      () =>
        runtimeConfigDecoder(
          { id, paratime: 'accounts', prune: { strategy: 'keep_last', num_kept: 0 } },
          'r',
        ),
      /at least 1 round/,
    );
  });
});
