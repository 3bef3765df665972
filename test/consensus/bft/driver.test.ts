/**
 * The driver over the simulator's network: crash recovery from the WAL (re-using logged own messages),
 * the start-up handshake, validator updates at H+2 and BFT time, on real components.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toHex } from '../../../src/codec/bytes.ts';
import { blockHash } from '../../../src/consensus/api/block.ts';
import { MessageType } from '../../../src/consensus/api/vote.ts';
import { weightedMedianTime } from '../../../src/consensus/bft/bft_time.ts';
import { MemoryBlockStore } from '../../../src/consensus/bft/block_store.ts';
import { ConsensusDriver } from '../../../src/consensus/bft/driver.ts';
import { recoverChainState } from '../../../src/consensus/bft/recovery.ts';
import { GENESIS_TIME, SimCluster } from '../../../src/consensus/sim/cluster.ts';
import { emptyKvDisk, KvApp } from '../../../src/consensus/sim/kv_app.ts';
import { MemoryWal } from '../../../src/consensus/wal/memory_wal.ts';

async function clusterAtHeight(height: number, seed = 3, maxClockSkewMs = 0) {
  const c = await SimCluster.create({ seed, validators: 4, byzantine: 0, maxClockSkewMs });
  await c.runUntil(() => c.honest.every((n) => c.committedHeight.get(n)! >= height), GENESIS_TIME + 60_000);
  c.stop();
  return c;
}

describe('consensus driver', () => {
  it('re-sends its logged prevote byte for byte after a crash between WAL write and send', async () => {
    const c = await SimCluster.create({ seed: 5, validators: 4, byzantine: 0 });
    const proposer = c.nodes.get('n0')!.driver!.current!.engine.proposerOf(0);
    const victim = [...c.nodes.values()].find((n) => toHex(n.key.publicKey) !== proposer)!;
    victim.crashBeforeNextSend = true;
    const prevotes: Array<{ at: number; timestamp: number; signature: string }> = [];
    c.network.onDeliver = (_from, _to, m) => {
      if (
        m.kind === 'vote' &&
        m.vote.type === MessageType.prevote &&
        m.vote.height === 1 &&
        m.vote.round === 0
      ) {
        if (toHex(m.vote.validator) === toHex(victim.key.publicKey)) {
          prevotes.push({
            at: c.scheduler.now(),
            timestamp: m.vote.timestamp,
            signature: toHex(m.vote.signature),
          });
        }
      }
    };
    c.scheduler.at(3_000, null, () => void victim.start());
    await c.runUntil(() => c.names.every((n) => c.committedHeight.get(n)! >= 3), GENESIS_TIME + 60_000);
    c.stop();
    assert.equal(victim.up, true);
    assert.ok(prevotes.length > 0, 'the restarted node sent its prevote');
    // Sent only after the restart at +3 s, yet stamped before the crash: the logged vote was re-used.
    assert.ok(prevotes.every((p) => p.at >= GENESIS_TIME + 3_000));
    assert.ok(prevotes.every((p) => p.timestamp < GENESIS_TIME + 3_000));
    assert.equal(new Set(prevotes.map((p) => p.signature)).size, 1);
    assert.ok(c.committedHeight.get(victim.name)! >= 3, 'and it caught up');
  });

  it('replays every stored block into an application that lost its state', async () => {
    const c = await clusterAtHeight(4);
    const node = c.nodes.get('n0')!;
    const stored = node.store.state()!;
    const disk = emptyKvDisk();
    const genesis = node.store
      .stateAt(0)!
      .validators.validators.map((v) => ({ publicKey: v.publicKey, power: v.power }));
    const app = new KvApp(disk, genesis);
    const state = await recoverChainState(c.config, app, node.store, new MemoryWal());
    assert.equal(state.lastBlockHeight, stored.lastBlockHeight);
    assert.equal(disk.height, stored.lastBlockHeight);
    assert.deepEqual(disk.appHash, stored.appHash);
  });

  it('applies a stored block whose state was not saved before the crash', async () => {
    const c = await clusterAtHeight(4);
    const node = c.nodes.get('n0')!;
    const top = node.store.state()!.lastBlockHeight;
    const partial = new MemoryBlockStore();
    for (let h = 0; h < top; h++) await partial.saveState(node.store.stateAt(h)!);
    for (let h = 1; h <= top; h++) await partial.saveBlock(node.store.block(h)!, node.store.commit(h)!);
    const disk = emptyKvDisk();
    const app = new KvApp(disk, []);
    // the application is at top − 1, as after a crash between saving block `top` and its state
    for (let h = 1; h < top; h++) {
      const before = partial.stateAt(h - 1)!;
      const block = partial.block(h)!;
      await app.finalizeBlock({
        height: h,
        time: Math.floor(block.header.time / 1000),
        proposer: block.header.proposer,
        lastCommit: [],
        misbehavior: [],
        txs: block.txs,
        hash: blockHash(block.header),
      });
      await app.commit();
      assert.deepEqual(
        disk.appHash,
        partial.stateAt(h)!.appHash,
        `height ${h} (state ${before.lastBlockHeight})`,
      );
    }
    const state = await recoverChainState(c.config, app, partial, new MemoryWal());
    assert.equal(state.lastBlockHeight, top);
    assert.deepEqual(state.appHash, node.store.state()!.appHash);
    assert.deepEqual(state.validators.hash(), node.store.state()!.validators.hash());
  });

  it('applies validator updates from height H at H+2', async () => {
    const c = await clusterAtHeight(8);
    const store = c.nodes.get(c.honest[0]!)!.store;
    let h = 1;
    while (!store.block(h)!.txs.some((t) => Buffer.from(t).toString().startsWith('val:'))) h++;
    const [bh, b1, b2] = [store.block(h)!, store.block(h + 1)!, store.block(h + 2)!].map((b) => b.header);
    assert.deepEqual(b1!.validatorsHash, bh!.validatorsHash, 'H+1 is still decided by the old set');
    assert.notDeepEqual(b1!.nextValidatorsHash, b1!.validatorsHash, 'H+1 already commits to the new set');
    assert.deepEqual(b2!.validatorsHash, b1!.nextValidatorsHash, 'H+2 is decided by the new set');
    assert.ok(store.stateAt(h + 1)!.validators.validators.some((v) => v.power === 12n));
  });

  for (const skew of [0, 5_000]) {
    it(`stamps blocks with the weighted median of the last commit, strictly increasing (skew ±${skew} ms)`, async () => {
      const c = await clusterAtHeight(5, 3, skew);
      const node = c.nodes.get('n1')!;
      assert.equal(node.store.block(1)!.header.time, GENESIS_TIME);
      for (let h = 2; h <= 5; h++) {
        const b = node.store.block(h)!;
        assert.equal(b.header.time, weightedMedianTime(b.lastCommit!, node.store.stateAt(h - 2)!.validators));
        assert.ok(b.header.time > node.store.block(h - 1)!.header.time);
      }
    });
  }
});

/**
 * A driver without a signing key following cluster `c` as `f0`; `timeoutCommitMs` overrides the cluster's
 * (a follower's own setting). Its commit times (virtual clock) are recorded by height.
 */
async function startFollower(c: SimCluster, timeoutCommitMs?: number) {
  const store = new MemoryBlockStore();
  const genesis = [...c.nodes.values()].map((n) => ({ publicKey: n.key.publicKey, power: 10n }));
  const committedAt = new Map<number, number>();
  const clock = c.scheduler.clockFor('f0');
  const follower = new ConsensusDriver(
    { ...c.config, timeoutCommitMs: timeoutCommitMs ?? c.config.timeoutCommitMs },
    {
      app: new KvApp(emptyKvDisk(), genesis),
      wal: new MemoryWal(),
      guard: null,
      transport: {
        broadcast: (m) => c.network.broadcast('f0', c.names, m),
        send: (peer, m) => c.network.send('f0', peer, m),
      },
      clock,
      store,
      onCommit: (block) => committedAt.set(block.header.height, clock.now()),
    },
  );
  c.network.attach('f0', (from, m) => follower.deliver(from, m));
  c.externals.set('f0', follower);
  await follower.start();
  return { follower, store, committedAt };
}

/** Runs `c` until `done`, noting when validator n0 first reached each height (virtual clock). */
async function runNoting(c: SimCluster, done: () => boolean, deadline: number) {
  const leaderAt = new Map<number, number>();
  await c.runUntil(() => {
    const h = c.committedHeight.get('n0')!;
    if (!leaderAt.has(h)) leaderAt.set(h, c.scheduler.now());
    return done();
  }, deadline);
  return leaderAt;
}

describe('consensus driver: follower', () => {
  it('follows the chain through catch-up commits without a signing key', async () => {
    const c = await SimCluster.create({ seed: 9, validators: 4, byzantine: 0 });
    const { follower, store } = await startFollower(c);
    await c.runUntil(() => store.height() >= 6, GENESIS_TIME + 120_000);
    c.stop();
    follower.halt();
    assert.ok(store.height() >= 6, `follower at ${store.height()}`);
    const leader = c.nodes.get('n0')!.store;
    for (let h = 1; h <= 6; h++) {
      assert.deepEqual(blockHash(store.block(h)!.header), blockHash(leader.block(h)!.header), `block ${h}`);
    }
    assert.deepEqual(store.stateAt(6)!.appHash, leader.stateAt(6)!.appHash);
  });

  it('does not sit out timeout_commit: a slow local setting does not leave it behind', async () => {
    const c = await SimCluster.create({
      seed: 11,
      validators: 4,
      byzantine: 0,
      gossipIntervalMs: 5_000,
      followers: ['f0'],
    });
    const { follower, store, committedAt } = await startFollower(c, 2_000);
    const leaderAt = await runNoting(c, () => store.height() >= 20, GENESIS_TIME + 120_000);
    c.stop();
    follower.halt();
    assert.ok(store.height() >= 20, `follower at ${store.height()}`);
    for (let h = 2; h <= 20; h++) {
      const lag = committedAt.get(h)! - leaderAt.get(h)!;
      assert.ok(lag < 500, `height ${h}: follower ${lag} ms behind the validators`);
    }
  });

  it('asks a peer that is ahead for its block at once instead of waiting for the gossip tick', async () => {
    const c = await SimCluster.create({
      seed: 12,
      validators: 4,
      byzantine: 0,
      gossipIntervalMs: 5_000,
      followers: ['f0'],
    });
    const { follower, store } = await startFollower(c);
    // Cut off while the validators move on a few heights, then reconnected.
    c.network.partition([c.names, ['f0']]);
    await c.runUntil(() => c.committedHeight.get('n0')! >= 8, GENESIS_TIME + 120_000);
    const behind = store.height();
    assert.ok(behind < 6, `follower at ${behind} while cut off`);
    c.network.heal();
    const healedAt = c.scheduler.now();
    await c.runUntil(() => store.height() >= c.committedHeight.get('n0')!, healedAt + 20_000);
    c.stop();
    follower.halt();
    const caughtUpMs = c.scheduler.now() - healedAt;
    assert.ok(store.height() >= 8, `follower at ${store.height()}`);
    assert.ok(caughtUpMs < 1_500, `caught up ${caughtUpMs} ms after the partition healed`);
  });
});
