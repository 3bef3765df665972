import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { CallContext, UnaryMethod } from '../../src/api/method.ts';
import { resolveState } from '../../src/api/queries.ts';
import { type ConsensusBackend, consensusMethods } from '../../src/api/services/consensus.ts';
import { getEventsMethod } from '../../src/api/services/events.ts';
import { utf8 } from '../../src/codec/bytes.ts';
import { MIN_PRUNE_NUM_KEPT, type PruneOptions } from '../../src/consensus/bft/prune_options.ts';
import { CodedError } from '../../src/errors.ts';
import { ChainView, type ChainViewOptions } from '../../src/node/chain_view.ts';
import { ConsensusPruner } from '../../src/node/pruner.ts';
import type { LmdbBlockStore } from '../../src/storage/block_store.ts';
import { openBinaryDb, openLmdbEnv } from '../../src/storage/lmdb.ts';
import { appendHeights, keyOf, openChain, type TestChain } from './pruning_chain.ts';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'pruner-'));
  dirs.push(d);
  return d;
}

const keepN = (num_kept: number): PruneOptions => ({ strategy: 'keep_n', num_kept, interval: 1000 });

function pruner(c: TestChain, prune: PruneOptions, holds?: () => number | undefined): ConsensusPruner {
  return new ConsensusPruner({ prune, store: c.store, state: c.state, ...(holds ? { holds } : {}) });
}

/** Heights physically present in each database of the block store (read after the store is closed). */
async function rawHeights(dir: string): Promise<Record<string, number[]>> {
  const env = openLmdbEnv(join(dir, 'blocks'));
  const out: Record<string, number[]> = {};
  for (const name of ['blocks', 'commits', 'results', 'states']) {
    out[name] = [...openBinaryDb(env, name).getKeys({})].map((k) => Number(k.readBigUInt64BE(0)));
  }
  await env.close();
  return out;
}

function view(c: TestChain): ChainView {
  // The reads exercised here touch only the stores and the genesis height.
  return new ChainView({
    genesisHeight: 1,
    state: c.state,
    store: c.store as unknown as LmdbBlockStore<never>,
  } as unknown as ChainViewOptions);
}

/** The consensus service's reads over the view (as the node wires them); writes are not exercised. */
function viewBackend(v: ChainView): ConsensusBackend {
  return {
    genesisHeight: v.genesisHeight,
    genesisHash: () => v.genesisHash(),
    latestHeight: () => v.latestHeight(),
    lastRetainedHeight: () => v.lastRetainedHeight(),
    block: (h) => v.block(h),
  } as ConsensusBackend;
}

const versionNotFound = (e: unknown) =>
  CodedError.is(e, 'consensus', 3) && /pruned/.test((e as Error).message);

describe('ConsensusPruner over LMDB stores', () => {
  it('removes blocks, commits, results, chain states and state versions below the window and keeps the rest', async () => {
    const dir = tempDir();
    const c = await openChain(dir);
    await appendHeights(c, 1, 300);
    const report = await pruner(c, keepN(MIN_PRUNE_NUM_KEPT)).runOnce();
    const retained = 300 - MIN_PRUNE_NUM_KEPT + 1;
    assert.equal(report.retainedHeight, retained);
    assert.equal(report.interrupted, false);
    assert.equal(report.versions, retained - 1);
    assert.equal(c.store.retainedHeight(), retained);
    assert.equal(c.state.versions()[0], retained);
    assert.deepEqual(c.state.checkIntegrity(), []);
    for (let h = retained; h <= 300; h++) {
      assert.equal(c.store.block(h)?.header.height, h);
      assert.equal(c.store.commit(h)?.height, h);
      assert.equal(c.store.results(h)?.txResults.length, 2);
      assert.deepEqual(c.state.at(h).get(keyOf(h)), utf8(`value-${h}`));
    }
    // The chain state the first kept block applies to stays; nothing below it.
    assert.equal(c.store.stateAt(retained - 1)?.lastBlockHeight, retained - 1);
    assert.equal(c.store.stateAt(retained - 2), undefined);
    await c.close();
    const raw = await rawHeights(dir);
    for (const name of ['blocks', 'commits', 'results'] as const) {
      assert.equal(raw[name]![0], retained, name);
      assert.equal(raw[name]!.length, 300 - retained + 1, name);
    }
    assert.equal(raw.states![0], retained - 1);
  });

  it('keeps the retained height across a reopen and refuses reads below it with consensus/3', async () => {
    const dir = tempDir();
    let c = await openChain(dir);
    await appendHeights(c, 1, 250);
    await pruner(c, keepN(150)).runOnce();
    await c.close();
    c = await openChain(dir);
    assert.equal(c.store.retainedHeight(), 101);
    const v = view(c);
    assert.equal(v.lastRetainedHeight(), 101);
    assert.equal(v.block(100), undefined, 'the view serves nothing below');
    assert.equal(v.eventsAt(100), undefined);
    assert.throws(() => v.stateAt(100), versionNotFound);
    assert.throws(
      () => resolveState({ latestHeight: () => 250, stateAt: (h) => v.stateAt(h) }, 100),
      versionNotFound,
    );
    // The services over the view say why.
    const ctx: CallContext = { transport: 'grpc', signal: new AbortController().signal };
    const consensus = consensusMethods(viewBackend(v));
    const call = (name: string, height: number) =>
      (consensus.find((m) => m.name === name) as UnaryMethod).handler(height, ctx);
    await assert.rejects(call('GetBlock', 100), versionNotFound);
    await assert.rejects(call('GetTransactionsWithResults', 100), versionNotFound);
    assert.equal(await call('GetLastRetainedHeight', 0), 101);
    await assert.rejects(
      getEventsMethod('oasis-core.Staking', 'staking', v).handler(100, ctx),
      versionNotFound,
    );
    assert.equal(v.block(101)?.height, 101);
    assert.equal(v.eventsAt(101)?.length, 2);
    assert.deepEqual(v.stateAt(101).get(keyOf(101)), utf8('value-101'));
    // The genesis block's hash survives its pruning.
    assert.equal(v.genesisHash().length, 32);
    await c.close();
  });

  it('a crash after the retained height moved leaves a consistent store; the next pass clears the rest', async () => {
    const dir = tempDir();
    let c = await openChain(dir);
    await appendHeights(c, 1, 200);
    // The durable first step of a pass, then a "crash" before anything below is deleted.
    await c.store.retainFrom(150);
    await c.close();
    c = await openChain(dir);
    assert.equal(c.store.retainedHeight(), 150);
    assert.equal(c.store.block(149), undefined);
    assert.equal(c.store.results(149), undefined);
    assert.equal(c.state.versions()[0], 1, 'versions below are still there, unserved');
    assert.throws(() => view(c).stateAt(149), versionNotFound);
    // A window larger than the chain does not move the retained height back; it clears the leftovers.
    const report = await pruner(c, keepN(1000)).runOnce();
    assert.equal(report.retainedHeight, 150);
    assert.ok(report.records > 0);
    assert.equal(c.state.versions()[0], 150);
    assert.deepEqual(c.state.checkIntegrity(), []);
    await c.close();
    assert.equal((await rawHeights(dir)).blocks![0], 150);
  });

  it('prunes nothing with strategy none, and never above what the node still reads', async () => {
    const dir = tempDir();
    const c = await openChain(dir);
    await appendHeights(c, 1, 260);
    const none = await pruner(c, { strategy: 'none', num_kept: 0, interval: 1000 }).runOnce();
    assert.deepEqual([none.records, none.versions, c.store.retainedHeight()], [0, 0, 1]);
    const held = await pruner(c, keepN(MIN_PRUNE_NUM_KEPT), () => 40).runOnce();
    assert.equal(held.retainedHeight, 40);
    assert.equal(c.state.versions()[0], 40);
    await c.close();
  });

  it('deletes nothing while a block is being applied, and gives up the pass when that lasts too long', async () => {
    const dir = tempDir();
    const c = await openChain(dir);
    await appendHeights(c, 1, 250);
    let applying = true;
    let deletedWhileApplying = 0;
    const observed = {
      height: () => c.store.height(),
      retainedHeight: () => c.store.retainedHeight(),
      retainFrom: (h: number) => c.store.retainFrom(h),
      pruneBatch: async (limit: number) => {
        const n = await c.store.pruneBatch(limit);
        if (applying) deletedWhileApplying += n;
        return n;
      },
    };
    const make = (busyDeadlineMs: number) =>
      new ConsensusPruner({
        prune: keepN(MIN_PRUNE_NUM_KEPT),
        store: observed,
        state: c.state,
        busy: () => applying,
        busyDeadlineMs,
      });
    const gaveUp = await make(50).runOnce();
    assert.equal(gaveUp.interrupted, true);
    assert.equal(gaveUp.records + gaveUp.versions, 0);
    setTimeout(() => (applying = false), 50);
    const done = await make(5_000).runOnce();
    assert.equal(done.interrupted, false);
    assert.ok(done.records > 0 && done.versions > 0);
    assert.equal(deletedWhileApplying, 0);
    await c.close();
  });

  it('moves the window up as the chain grows', async () => {
    const dir = tempDir();
    const c = await openChain(dir);
    const p = pruner(c, keepN(MIN_PRUNE_NUM_KEPT));
    for (let top = 120; top <= 360; top += 120) {
      await appendHeights(c, top - 119, top);
      const r = await p.runOnce();
      assert.equal(r.retainedHeight, top - MIN_PRUNE_NUM_KEPT + 1);
      assert.equal(c.state.versions().length, MIN_PRUNE_NUM_KEPT);
    }
    await c.close();
  });
});
