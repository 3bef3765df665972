/**
 * Executor workers of three compute nodes, each with its own accounts ParaTime process, against the real
 * consensus services (roothash fixture chain): a client-rt transfer is proposed, executed by every member,
 * committed through `roothash.ExecutorCommit` transactions and finalized; a dishonest worker is outvoted by
 * the backup and slashed; a straggling worker makes the round time out and the backup resolve it; a node
 * down while rounds finalized backfills them into its history from the consensus heights it missed.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import * as oasis from '@oasisprotocol/client';
import * as oasisRT from '@oasisprotocol/client-rt';
import { bytesEqual } from '../../../../src/codec/bytes.ts';
import { decodeCanonical, encodeCanonical } from '../../../../src/codec/cbor.ts';
import { addressFromPublicKey } from '../../../../src/crypto/address.ts';
import { sha512_256 } from '../../../../src/crypto/hash.ts';
import { NodeTxSender } from '../../../../src/node/node_tx_sender.ts';
import { runtimeChainReads } from '../../../../src/node/runtime_chain_reads.ts';
import { RuntimeHistory } from '../../../../src/runtime/node/executor/history.ts';
import { RoundLogsFetcher } from '../../../../src/runtime/node/executor/round_logs.ts';
import { roundView } from '../../../../src/runtime/node/executor/round_view.ts';
import { RuntimeTxPool } from '../../../../src/runtime/node/executor/tx_pool.ts';
import { ExecutorWorker } from '../../../../src/runtime/node/executor/worker.ts';
import { RuntimeHost } from '../../../../src/runtime/node/host/host.ts';
import type { ExecutorMode } from '../../../../src/runtime/node/options.ts';
import { encodeAccountsConfig } from '../../../../src/runtime/process/paratimes/accounts/genesis.ts';
import { genesisStateRoot, paraTime } from '../../../../src/runtime/process/paratimes/catalog.ts';
import { eventKey } from '../../../../src/runtime/protocol/events.ts';
import type { Runtime } from '../../../../src/services/registry/api/runtime.ts';
import { HeaderType } from '../../../../src/services/roothash/api/block.ts';
import { executorCommitBodyCodec } from '../../../../src/services/roothash/api/methods.ts';
import { RoothashStateReader } from '../../../../src/services/roothash/state.ts';
import type { StateReader } from '../../../../src/state/api.ts';
import { memoryState } from '../../../../src/state/overlay.ts';
import type { RegistryChain } from '../../../services/registry/fixture.ts';
import { key, nodeKeys } from '../../../services/registry/fixture.ts';
import {
  COMPUTE_NODES,
  committeeNodes,
  INCORRECT_RESULTS_PENALTY,
  latestHeader,
  nextScheduler,
  RUNTIME,
  roothashChain,
} from '../../../services/roothash/fixture.ts';
import { CHAIN_CONTEXT } from '../../../services/staking/fixture.ts';

const kind = paraTime('accounts');
const client = oasis.signature.NaclSigner.fromSeed(new Uint8Array(32).fill(7), 'this key is not important');
const clientAddress = addressFromPublicKey(client.public());
const recipient = addressFromPublicKey(
  oasis.signature.NaclSigner.fromSeed(new Uint8Array(32).fill(8), 'this key is not important').public(),
);
const localConfig = encodeAccountsConfig({ balances: [[clientAddress, 1_000_000n]] });
const NATIVE = oasisRT.token.NATIVE_DENOMINATION;
const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

async function transfer(amount: bigint, nonce: bigint): Promise<Uint8Array> {
  const w = new oasisRT.accounts.Wrapper(RUNTIME).callTransfer();
  w.setBody({ to: recipient, amount: [oasis.quantity.fromBigInt(amount), NATIVE] });
  w.setSignerInfo([{ address_spec: { signature: { ed25519: client.public() } }, nonce }]);
  w.setFeeAmount([oasis.quantity.fromBigInt(0n), NATIVE]);
  w.setFeeGas(10_000n);
  await w.sign([new oasis.signature.BlindContextSigner(client)], CHAIN_CONTEXT);
  return oasis.misc.toCBOR(w.unverifiedTransaction);
}

interface Member {
  n: number;
  /** Rounds this member executed a batch for. */
  executed: bigint[];
  worker: ExecutorWorker;
  host: RuntimeHost;
  pool: RuntimeTxPool;
  history: RuntimeHistory;
}

/** Three compute nodes around one in-process chain; blocks carry whatever the workers submitted. */
class Network {
  readonly chain: RegistryChain;
  readonly members: Member[] = [];
  pending: Uint8Array[] = [];
  /** Copies of the committed state by height, as a node keeps them (a missing height reads as pruned). */
  readonly states = new Map<number, StateReader>();
  /** Compute nodes that see no consensus blocks and no proposals for now (down). */
  readonly asleep = new Set<number>();
  /** Warnings the workers logged. */
  readonly warnings: string[] = [];
  /** Members whose round-logs answers come back corrupted (a state log missing its last entry). */
  readonly corruptLogs = new Set<number>();
  /** Peers penalised for their round logs, as `<by>:<peer>`. */
  readonly penalised: string[] = [];

  /** The members' local clock (ms), moved by hand. */
  clock = 0;

  constructor(
    modes: Map<number, ExecutorMode> = new Map(),
    roundTimeout = 3n,
    /** Compute nodes that are registered and elected but not running. */
    absent: number[] = [],
    /** Adjusts the runtime descriptor. */
    tweak: (rt: Runtime) => void = () => {},
    /** Compute nodes that hear no proposals, and how they fetch a state they lack (default: they cannot). */
    deaf: { nodes: number[]; syncState: (root: Uint8Array) => Promise<boolean> } = {
      nodes: [],
      syncState: async () => false,
    },
    /** Consensus heights a worker backfills per step. */
    readonly backfillHeightsPerStep?: bigint,
  ) {
    const root = genesisStateRoot(kind, localConfig);
    this.chain = roothashChain({
      roundTimeout,
      runtime: (rt) => {
        rt.genesis.state_root = root;
        tweak(rt);
      },
    });
    this.#deaf = deaf;
    for (const n of COMPUTE_NODES.keys())
      if (!absent.includes(n)) this.members.push(this.#member(n, modes.get(n) ?? 'honest'));
  }

  readonly #deaf: { nodes: number[]; syncState: (root: Uint8Array) => Promise<boolean> };

  #member(n: number, mode: ExecutorMode): Member {
    const dir = mkdtempSync(join(tmpdir(), 'ex-'));
    dirs.push(dir);
    const keys = nodeKeys(n);
    const host = new RuntimeHost({
      runtimeId: RUNTIME,
      runtimeDir: dir,
      entry: kind.entry,
      consensus: { backend: 'tendermint', protocolVersion: { major: 7 }, chainContext: CHAIN_CONTEXT },
      localConfig,
      genesisWriteLog: kind.genesisWriteLog(localConfig),
      maxOldSpaceMb: 128,
    });
    const pool = new RuntimeTxPool({ maxTxs: 100, maxBytes: 1 << 20 });
    const history = RuntimeHistory.open(join(dir, 'history'));
    const sender = new NodeTxSender(keys.node, CHAIN_CONTEXT, async (tx) => {
      this.pending.push(tx);
    });
    // Round logs travel between the members in process; deaf nodes hear nothing and fetch states instead.
    const roundLogs = new RoundLogsFetcher({
      peers: () => this.members.filter((m) => m.n !== n && !this.asleep.has(m.n)).map((m) => String(m.n)),
      request: async (peer, data) => {
        const answer = this.member(Number(peer)).worker.answerRoundLogs(data);
        if (!this.corruptLogs.has(Number(peer))) return answer;
        const logs = decodeCanonical(answer) as { state_write_log: unknown[]; io_write_log: unknown[] };
        return encodeCanonical({ ...logs, state_write_log: logs.state_write_log.slice(0, -1) });
      },
      penalize: (peer) => this.penalised.push(`${n}:${peer}`),
    });
    const executed: bigint[] = [];
    const worker = new ExecutorWorker({
      runtimeId: RUNTIME,
      chainContext: CHAIN_CONTEXT,
      signer: keys.node,
      host,
      pool,
      history,
      mode,
      publishProposal: (p) => {
        for (const m of this.members)
          if (m.n !== n && !this.#deaf.nodes.includes(m.n) && !this.asleep.has(m.n))
            assert.ok(m.worker.onProposal(p));
      },
      submitCommit: (view, body, gas) =>
        sender.send(
          view.state,
          view.height,
          { method: 'roothash.ExecutorCommit', body: executorCommitBodyCodec.encode(body) },
          gas,
        ),
      syncState: (root) =>
        this.#deaf.nodes.includes(n) ? this.#deaf.syncState(root) : Promise.resolve(false),
      fetchRoundLogs: this.#deaf.nodes.includes(n)
        ? undefined
        : (req, accept) => roundLogs.fetch(req, accept, 1_000),
      runtimeBlockAt: (height) => {
        const state = this.states.get(Number(height));
        if (state === undefined) throw new Error(`height ${height} is pruned`);
        const rs = runtimeChainReads.runtimeState(state, RUNTIME);
        return rs && { consensusHeight: rs.last_block_height, block: rs.last_block };
      },
      backfillHeightsPerStep: this.backfillHeightsPerStep,
      now: () => this.clock,
      onBlock: () => {},
      log: {
        info: (msg, f) => {
          if (msg === 'executed batch') executed.push(BigInt(f!.round as bigint));
        },
        warn: (msg) => this.warnings.push(msg),
      },
    });
    return { n, executed, worker, host, pool, history };
  }

  async start(): Promise<void> {
    await Promise.all(this.members.map((m) => m.host.start()));
    this.chain.advanceToEpoch(1n);
    await this.settle();
  }

  async stop(): Promise<void> {
    for (const m of this.members) {
      m.worker.close();
      await m.host.stop();
      await m.history.close();
    }
  }

  /** Feeds the latest state to every worker and waits until all of them (and what they set off) are done. */
  async settle(): Promise<void> {
    const copy = memoryState();
    for (const [k, v] of this.chain.state.entries(new Uint8Array(0))) copy.set(k, v);
    this.states.set(this.chain.height - 1, copy);
    for (const m of this.members) {
      if (this.asleep.has(m.n)) continue;
      const state = this.chain.state;
      m.worker.onConsensusCommit(
        roundView(
          state,
          this.chain.height - 1,
          RUNTIME,
          nodeKeys(m.n).node.publicKey,
          () => state,
          runtimeChainReads,
        )!,
      );
    }
    for (let i = 0; i < 3; i++) await Promise.all(this.members.map((m) => m.worker.idle()));
  }

  /** One consensus block with the pending transactions; returns their results. */
  async block() {
    const txs = this.pending;
    this.pending = [];
    const out = this.chain.block(txs);
    await this.settle();
    return out;
  }

  submit(tx: Uint8Array): void {
    for (const m of this.members) m.pool.add(tx);
  }

  member(n: number): Member {
    return this.members.find((m) => m.n === n)!;
  }
}

/** The native balance of `address` in member `m`'s runtime at state `root`. */
async function balance(m: Member, root: Uint8Array, address: Uint8Array): Promise<bigint> {
  const query = { round: 0n, state_root: root, consensus_height: 0n, epoch: 0n };
  const res = await m.host.query({ ...query, method: 'accounts.Balances', args: { address } });
  const balances = (res.data as { balances: Map<Uint8Array, Uint8Array> }).balances;
  for (const [, v] of balances) return oasis.quantity.toBigInt(v);
  return 0n;
}

/** Which node schedules the first round of epoch 1 and which one is the other worker (deterministic). */
function firstRoundRoles(): { scheduler: number; otherWorker: number; backup: number } {
  const c = roothashChain({ roundTimeout: 3n });
  c.advanceToEpoch(1n);
  const { workers, backups } = committeeNodes(c);
  const scheduler = nextScheduler(c);
  return { scheduler, otherWorker: workers.find((w) => w !== scheduler)!, backup: backups[0]! };
}

/** Runs consensus blocks until the runtime's round advances (at most `max`); the new header. */
async function untilNextRound(net: Network, max: number) {
  const start = latestHeader(net.chain).round;
  for (let i = 0; i < max && latestHeader(net.chain).round === start; i++) await net.block();
  return latestHeader(net.chain);
}

describe('executor workers', { timeout: 120_000 }, () => {
  it('execute a client-rt transfer proposed by the scheduler and finalize it with matching state roots', async () => {
    const net = new Network();
    try {
      await net.start();
      const { workers, backups } = committeeNodes(net.chain);
      assert.equal(workers.length, 2);
      assert.equal(backups.length, 1);
      const before = latestHeader(net.chain);
      const tx = await transfer(1234n, 0n);
      const worker = net.member(workers[0]!).worker;
      const waiting = worker.waitFor(sha512_256(tx));
      // The same transaction submitted a second time: both callers get its result.
      const waitingAgain = worker.waitFor(sha512_256(tx));
      const backup = net.member(backups[0]!);
      const waitingAtBackup = backup.worker.waitFor(sha512_256(tx));
      net.submit(tx);
      // The scheduler proposes on the next block; members execute and submit commitments.
      await net.block();
      assert.ok(net.pending.length >= 2, `commitments submitted: ${net.pending.length}`);
      const out = await net.block();
      assert.ok(
        out.results.every((r) => r.error === undefined),
        out.results.map((r) => r.error?.message ?? 'ok').join('; '),
      );
      const h = latestHeader(net.chain);
      assert.equal(h.round, before.round + 1n);
      assert.equal(h.header_type, HeaderType.normal);
      for (const m of net.members)
        assert.ok(m.host.hasState(h.state_root), `node ${m.n} holds the new state`);
      const settled = await waiting;
      assert.deepEqual(await waitingAgain, settled);
      assert.equal(settled.round, h.round);
      assert.equal(settled.batchOrder, 0);
      assert.deepEqual(Object.keys(decodeCanonical(settled.result) as object), ['ok']);
      for (const m of net.members) assert.equal(await balance(m, h.state_root, recipient), 1234n);
      assert.deepEqual(backup.executed, [], "the backup followed the round from a worker's logs");
      assert.deepEqual(await waitingAtBackup, settled, 'and answers its clients');
      const recorded = backup.history.transactions(h.round);
      assert.equal(recorded.length, 1);
      assert.ok(bytesEqual(recorded[0]!.tx, tx));
      assert.deepEqual(
        recorded[0]!.events.map((e) => e.key),
        [eventKey('accounts', 1)],
        'the transfer event, read back from the IO tags',
      );
      assert.equal(
        net.members.every((m) => m.pool.size === 0),
        true,
      );
    } finally {
      await net.stop();
    }
  });

  it("follow a round from a member's write logs: a peer whose logs do not yield the finalized root is penalised, the next one's are taken", async () => {
    const roles = firstRoundRoles();
    const net = new Network();
    try {
      await net.start();
      net.corruptLogs.add(roles.scheduler);
      const txs = [await transfer(5n, 0n), await transfer(6n, 1n)];
      for (const tx of txs) net.submit(tx);
      const h = await untilNextRound(net, 4);
      assert.equal(h.header_type, HeaderType.normal);
      const backup = net.member(roles.backup);
      assert.deepEqual(backup.executed, []);
      assert.ok(backup.host.hasState(h.state_root));
      assert.deepEqual(net.penalised, [`${roles.backup}:${roles.scheduler}`]);
      const witness = net.member(roles.scheduler).history.transactions(h.round);
      assert.equal(witness.length, 2);
      assert.deepEqual(
        backup.history.transactions(h.round),
        witness,
        'the same transactions, results and events',
      );
      assert.equal(backup.pool.size, 0, 'what the round included left the pool');
      // The backup's runtime catches up on the new state (its host's logs) and answers from it.
      assert.equal(await balance(backup, h.state_root, recipient), 11n);
      assert.deepEqual(net.warnings, []);
    } finally {
      await net.stop();
    }
  });

  it("check the next round's candidates ahead, against the state its own execution yielded, as that round's scheduler", async () => {
    // One transaction a batch: a sender's next nonces wait in the pool for the following rounds.
    const net = new Network(new Map(), 3n, [], (rt) => {
      rt.txn_scheduler.max_batch_size = 1n;
    });
    const checks: Array<{ node: number; round: bigint; finalized: bigint }> = [];
    for (const m of net.members) {
      const check = m.host.checkTxBatch.bind(m.host);
      m.host.checkTxBatch = (req) => {
        checks.push({ node: m.n, round: req.round, finalized: latestHeader(net.chain).round });
        return check(req);
      };
    }
    try {
      await net.start();
      const first = latestHeader(net.chain).round;
      for (const nonce of [0n, 1n, 2n]) net.submit(await transfer(1n, nonce));
      await untilNextRound(net, 4);
      const h = await untilNextRound(net, 4);
      assert.equal(h.round, first + 2n);
      const { workers } = committeeNodes(net.chain);
      const scheduler = workers[Number(h.round % BigInt(workers.length))]!;
      // The second round's batch was checked while the first was still waiting for its block, and not again.
      const second = checks.filter((c) => c.node === scheduler && c.round === h.round);
      const show = (x: unknown) => JSON.stringify(x, (_, v) => (typeof v === 'bigint' ? Number(v) : v));
      assert.ok(second.length >= 1, show(checks));
      assert.ok(
        second.every((c) => c.finalized === first),
        `checked ahead only: ${show(second)}`,
      );
      for (const m of net.members) assert.equal(await balance(m, h.state_root, recipient), 2n);
    } finally {
      await net.stop();
    }
  });

  it('outvote a dishonest worker: discrepancy, the backup resolves with the honest result, the liar is slashed', async () => {
    const roles = firstRoundRoles();
    const net = new Network(new Map([[roles.otherWorker, 'dishonest']]));
    try {
      await net.start();
      const liarEntity = key(COMPUTE_NODES.get(roles.otherWorker)!).publicKey;
      const escrowBefore = net.chain.staking.account(addressFromPublicKey(liarEntity)).escrow.active.balance;
      net.submit(await transfer(5n, 0n));
      const h = await untilNextRound(net, 6);
      assert.equal(h.header_type, HeaderType.normal);
      for (const m of net.members)
        assert.ok(m.host.hasState(h.state_root), `node ${m.n} holds the agreed state`);
      const results = new RoothashStateReader(net.chain.state).lastRoundResults(RUNTIME)!;
      assert.deepEqual(results.bad_compute_entities, [liarEntity]);
      const escrowAfter = net.chain.staking.account(addressFromPublicKey(liarEntity)).escrow.active.balance;
      assert.equal(escrowBefore - escrowAfter, INCORRECT_RESULTS_PENALTY.amount);
    } finally {
      await net.stop();
    }
  });

  it('finish a round whose worker never commits: timeout, discrepancy, the backup resolves', async () => {
    const roles = firstRoundRoles();
    // Epochs last 5 blocks: a 1-block timeout keeps the timeout and the backups' turn inside epoch 1.
    const net = new Network(new Map([[roles.otherWorker, 'straggler']]), 1n);
    try {
      await net.start();
      net.submit(await transfer(6n, 0n));
      const h = await untilNextRound(net, 10);
      assert.equal(h.header_type, HeaderType.normal);
      const results = new RoothashStateReader(net.chain.state).lastRoundResults(RUNTIME)!;
      assert.equal(results.bad_compute_entities.length, 0);
      assert.equal(results.good_compute_entities.length, 2);
      assert.equal(await balance(net.member(roles.backup), h.state_root, recipient), 6n);
    } finally {
      await net.stop();
    }
  });

  it('go on when the scheduler is down: the next-ranked worker proposes after the propose timeout', async () => {
    const roles = firstRoundRoles();
    const net = new Network(new Map(), 1n, [roles.scheduler]);
    try {
      await net.start();
      net.submit(await transfer(7n, 0n));
      await net.settle();
      assert.equal(net.pending.length, 0, 'nobody proposes before the timeout');
      net.clock += 2_000; // the fixture runtime's propose_batch_timeout
      await net.settle();
      assert.equal(net.pending.length, 1, 'the rank-1 worker proposed and committed');
      const h = await untilNextRound(net, 4);
      assert.equal(h.header_type, HeaderType.normal);
      const results = new RoothashStateReader(net.chain.state).lastRoundResults(RUNTIME)!;
      assert.equal(results.good_compute_entities.length, 2, 'the backup scheduler and the backup agreed');
      assert.equal(await balance(net.member(roles.backup), h.state_root, recipient), 7n);
    } finally {
      await net.stop();
    }
  });

  it('propose transactions arriving between blocks once the batch flush timeout passes', async () => {
    const net = new Network(new Map(), 3n, [], (rt) => {
      rt.txn_scheduler.batch_flush_timeout = 50_000_000n; // 50 ms
    });
    try {
      await net.start();
      const tx = await transfer(9n, 0n);
      for (const m of net.members) {
        m.pool.add(tx);
        m.worker.onTxAdded();
      }
      assert.equal(net.pending.length, 0, 'nothing before the flush timeout');
      await new Promise((r) => setTimeout(r, 200));
      for (let i = 0; i < 3; i++) await Promise.all(net.members.map((m) => m.worker.idle()));
      assert.ok(net.pending.length >= 2, `proposed and committed without a new block: ${net.pending.length}`);
      const h = await untilNextRound(net, 2);
      assert.equal(h.header_type, HeaderType.normal);
    } finally {
      await net.stop();
    }
  });

  it('serve clients the latest round whose state the node holds, and record a block only once its state is here', async () => {
    const roles = firstRoundRoles();
    let fetching: (() => void) | undefined;
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const net: Network = new Network(new Map(), 3n, [], undefined, {
      nodes: [roles.backup],
      // Fetches the state from a member that executed the round, once the test lets it.
      syncState: async (root) => {
        fetching?.();
        await gate;
        const source = net.member(roles.scheduler).host;
        await net.member(roles.backup).host.importState(root, source.statePage(root, undefined, 1_000_000));
        return true;
      },
    });
    try {
      await net.start();
      const follower = net.member(roles.backup);
      const before = follower.worker.view!.lastBlock.header;
      net.submit(await transfer(11n, 0n));
      await net.block(); // proposed and executed by the workers, not by the deaf backup
      const fetchStarted = new Promise<void>((r) => (fetching = r));
      const finalizing = net.block();
      await fetchStarted;
      const h = latestHeader(net.chain);
      assert.equal(h.round, before.round + 1n, 'the round is final on the consensus side');
      assert.ok(!follower.host.hasState(h.state_root));
      assert.equal(
        follower.worker.view!.lastBlock.header.round,
        before.round,
        'clients still see the old round',
      );
      assert.equal(follower.history.block(h.round), undefined, 'not recorded before its state is here');
      release();
      await finalizing;
      assert.equal(follower.worker.view!.lastBlock.header.round, h.round);
      assert.ok(follower.history.block(h.round) !== undefined);
      assert.equal(await balance(follower, h.state_root, recipient), 11n);
    } finally {
      await net.stop();
    }
  });

  /** A node that was down while rounds finalized: the backup, fed the latest state from the scheduler. */
  function sleeperNetwork(backfillHeightsPerStep?: bigint) {
    const roles = firstRoundRoles();
    const net: Network = new Network(
      new Map(),
      3n,
      [],
      undefined,
      {
        nodes: [roles.backup],
        syncState: async (root) => {
          const source = net.member(roles.scheduler).host;
          await net.member(roles.backup).host.importState(root, source.statePage(root, undefined, 1_000_000));
          return true;
        },
      },
      backfillHeightsPerStep,
    );
    return { net, roles };
  }

  /** Finalizes `n` transfer rounds while `sleeper` is down. */
  async function roundsWhileAsleep(net: Network, sleeper: number, n: number) {
    net.asleep.add(sleeper);
    for (let nonce = 0n; nonce < BigInt(n); nonce++) {
      net.submit(await transfer(1n, nonce));
      await untilNextRound(net, 8);
    }
    net.asleep.delete(sleeper);
  }

  it('backfill the rounds finalized while the node was down, so it answers for every round', async () => {
    const { net, roles } = sleeperNetwork(3n);
    try {
      await net.start();
      const sleeper = net.member(roles.backup);
      const first = sleeper.history.latest()!.block.header.round;
      await roundsWhileAsleep(net, roles.backup, 3);
      const last = latestHeader(net.chain).round;
      assert.equal(last, first + 3n);
      assert.equal(sleeper.history.block(first + 1n), undefined, 'nothing seen while down');
      await net.settle();
      for (let i = 0; i < 20; i++) await sleeper.worker.idle();
      const witness = net.member(roles.scheduler).history;
      for (let round = first + 1n; round <= last; round++) {
        const got = sleeper.history.block(round);
        assert.ok(got !== undefined, `round ${round} recorded`);
        assert.deepEqual(got, witness.block(round), `round ${round} as a node that saw it`);
      }
      assert.equal(sleeper.history.latest()!.block.header.round, last);
      assert.equal(
        sleeper.pool.size,
        net.member(roles.scheduler).pool.size,
        'the transactions the rounds included left its pool, the others wait as in a live node',
      );
      assert.deepEqual(net.warnings, []);
    } finally {
      await net.stop();
    }
  });

  it('warn and go on when the heights it was down for are no longer kept', async () => {
    const { net, roles } = sleeperNetwork();
    try {
      await net.start();
      const sleeper = net.member(roles.backup);
      const first = sleeper.history.latest()!.block.header.round;
      await roundsWhileAsleep(net, roles.backup, 2);
      net.states.clear(); // pruned
      await net.settle();
      const last = latestHeader(net.chain).round;
      assert.equal(sleeper.history.block(first + 1n), undefined);
      assert.equal(sleeper.history.latest()!.block.header.round, last, 'the latest round is recorded');
      assert.ok(
        net.warnings.includes('runtime history gap: consensus state below the retained window'),
        net.warnings.join('; '),
      );
    } finally {
      await net.stop();
    }
  });
});
