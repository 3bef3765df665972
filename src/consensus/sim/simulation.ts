/**
 * The deterministic fault simulator: N validators running the real driver, engine, WAL, guard and a real
 * application over an in-memory network and a virtual clock, all choices drawn from one seed. A run has a
 * chaos phase (loss, duplication, delays and so reordering, a partition, crashes and restarts including
 * the WAL-write/send window, byzantine validators below a third of the power) and a healed phase in which
 * every honest node must commit new heights within a bound. Safety checkers run throughout.
 */
import { toHex, utf8 } from '../../codec/bytes.ts';
import { Ed25519KeyPair } from '../../crypto/ed25519.ts';
import { sha512_256 } from '../../crypto/hash.ts';
import type { ValidatorUpdate } from '../api/application.ts';
import type { DriverConfig } from '../bft/driver.ts';
import type { Mempool } from '../bft/host.ts';
import type { ConsensusMessage } from '../bft/messages.ts';
import {
  checkAgreement,
  checkLiveness,
  checkNoEquivocation,
  checkValidity,
  type DecisionRecord,
  type SignedVoteRecord,
} from './checkers.ts';
import { isValidKvTx, validatorTx } from './kv_app.ts';
import { type LinkFaults, SimNetwork } from './network.ts';
import { Rng } from './rng.ts';
import { VirtualScheduler } from './scheduler.ts';
import { SimNode, type SimNodeEnv } from './sim_node.ts';
import { SimTrace } from './trace.ts';

/** What to simulate. */
export interface SimulationOptions {
  seed: number;
  validators: number;
  /** Byzantine validators (equal powers, so 3·byzantine < validators is required). */
  byzantine: number;
  /** Heights every honest node must commit after the network heals. */
  heights: number;
  /** Inject network faults and crashes (default true). */
  faults?: boolean;
  /** Deliveries kept in the failure trace (default 40; 0 disables tracing). */
  traceDeliveries?: number;
  /** Fixed link behaviour for the whole run (overrides the chaos phase; used by the benchmark). */
  links?: LinkFaults;
  /** Timeout of a decided height before the next starts (default 100 ms). */
  timeoutCommitMs?: number;
}

/** Outcome of one seed. */
export interface SimulationResult {
  seed: number;
  ok: boolean;
  violations: string[];
  /** Fault schedule and last deliveries (for a failing seed). */
  trace: string[];
  /** Committed height per honest node at the end. */
  heights: Map<string, number>;
  virtualMs: number;
  messages: number;
  /** What the run exercised (to check the simulator is not vacuous). */
  stats: { crashes: number; equivocationsSeen: number; validatorPowerChanged: boolean };
}

const GENESIS_TIME = 1_700_000_000_000;
const POWER = 10n;

/** Timeouts for simulated networks (virtual milliseconds). */
export const SIM_TIMEOUTS = {
  proposeMs: 1000,
  proposeDeltaMs: 500,
  prevoteMs: 500,
  prevoteDeltaMs: 250,
  precommitMs: 500,
  precommitDeltaMs: 250,
};

const keyCache = new Map<number, Ed25519KeyPair>();
function validatorKey(i: number): Ed25519KeyPair {
  let k = keyCache.get(i);
  if (k === undefined)
    keyCache.set(i, (k = Ed25519KeyPair.fromSeed(sha512_256(utf8(`oasis-ts sim validator ${i}`)))));
  return k;
}

/** A mempool that offers a couple of fresh transactions per block, and once a validator-power change. */
function simMempool(node: string, powerChange: Uint8Array | null): Mempool {
  let counter = 0;
  let pendingChange = powerChange;
  return {
    reap: () => {
      counter++;
      const txs = [utf8(`${node}k${counter % 7}=v${counter}`), utf8(`c${node}=${counter}`)];
      if (pendingChange !== null) txs.push(pendingChange);
      return txs;
    },
    update: (committed) => {
      if (pendingChange !== null && committed.some((t) => toHex(t) === toHex(pendingChange!)))
        pendingChange = null;
    },
  };
}

/** Runs one seed to completion and checks it. */
export async function runSimulation(opts: SimulationOptions): Promise<SimulationResult> {
  if (opts.validators < 1 || 3 * opts.byzantine >= opts.validators) {
    throw new RangeError('need at least one validator and 3·byzantine < validators');
  }
  const rng = new Rng(opts.seed);
  const scheduler = new VirtualScheduler(GENESIS_TIME);
  const network = new SimNetwork(scheduler, rng);
  const trace = new SimTrace(opts.traceDeliveries ?? 40);
  if ((opts.traceDeliveries ?? 40) > 0) {
    network.onDeliver = (from, to, m) => trace.delivery(scheduler.now(), from, to, m);
  }
  const names = Array.from({ length: opts.validators }, (_, i) => `n${i}`);
  const keys = names.map((_, i) => validatorKey(i));
  const byzantine = new Set(rng.shuffle(names).slice(0, opts.byzantine));
  const honest = names.filter((n) => !byzantine.has(n));
  const genesis: ValidatorUpdate[] = keys.map((k) => ({ publicKey: k.publicKey, power: POWER }));
  const config: DriverConfig = {
    chainId: `sim-${opts.seed}`,
    initialHeight: 1,
    genesisTime: GENESIS_TIME,
    timeouts: SIM_TIMEOUTS,
    timeoutCommitMs: opts.timeoutCommitMs ?? 100,
    gossipIntervalMs: 1000,
    maxTxBytes: 64 * 1024,
  };

  const decisions: DecisionRecord[] = [];
  const signed: SignedVoteRecord[] = [];
  const committedHeight = new Map(names.map((n) => [n, 0]));
  const violations: string[] = [];
  const invalidTxBlocks: DecisionRecord[] = [];
  let equivocationsSeen = 0;
  const observer = {
    signed(node: string, m: ConsensusMessage) {
      if (byzantine.has(node)) return;
      if (m.kind === 'vote') {
        const type = m.vote.type === 1 ? 'prevote' : 'precommit';
        const value = m.vote.blockHash === null ? null : toHex(m.vote.blockHash);
        signed.push({ node, height: m.vote.height, round: m.vote.round, type, value });
      } else if (m.kind === 'proposal') {
        const p = m.proposal;
        signed.push({ node, height: p.height, round: p.round, type: 'proposal', value: toHex(p.blockHash) });
      }
    },
    committed(node: string, height: number, hash: string, txs: readonly Uint8Array[]) {
      committedHeight.set(node, height);
      if (byzantine.has(node)) return;
      const d = { node, height, value: hash };
      decisions.push(d);
      if (!txs.every(isValidKvTx)) invalidTxBlocks.push(d);
      violations.push(...checkAgreement(decisions.filter((x) => x.height === height)));
    },
    equivocation() {
      equivocationsSeen++;
    },
  };
  // A power change for an honest validator exercises the H+2 update path (never raises byzantine power).
  const changeTarget = keys[names.indexOf(honest[0]!)]!;
  const env: SimNodeEnv = {
    config,
    genesis,
    network,
    scheduler,
    rng,
    peers: names,
    observer,
    mempool: (n) => simMempool(n, n === honest[0] ? validatorTx(changeTarget.publicKey, POWER + 2n) : null),
  };
  const nodes = new Map(names.map((n, i) => [n, new SimNode(n, keys[i]!, byzantine.has(n), env)]));
  for (const node of nodes.values()) await node.start();

  const faults = opts.faults ?? true;
  const healAt =
    faults && opts.links === undefined ? planChaos(rng, scheduler, network, nodes, honest, trace) : 0;
  if (opts.links !== undefined) network.faults = opts.links;
  const heightAtHeal = new Map<string, number>();
  scheduler.at(healAt, null, () => {
    for (const n of honest) heightAtHeal.set(n, committedHeight.get(n)!);
  });
  const deadline = GENESIS_TIME + healAt + 20_000 + opts.heights * 10_000;
  const done = () =>
    heightAtHeal.size === honest.length &&
    honest.every((n) => committedHeight.get(n)! >= heightAtHeal.get(n)! + opts.heights);

  while (violations.length === 0 && !done()) {
    const t = scheduler.peekTime();
    if (t === undefined || t > deadline) break;
    const ev = scheduler.step();
    if (ev?.node != null) await nodes.get(ev.node)!.settle();
    else for (const n of nodes.values()) await n.settle();
  }
  for (const n of nodes.values()) n.driver?.halt();

  violations.push(...checkValidity(invalidTxBlocks, () => false));
  violations.push(...checkNoEquivocation(signed));
  if (violations.length === 0) {
    const end = new Map(honest.map((n) => [n, committedHeight.get(n)!]));
    violations.push(...checkLiveness(heightAtHeal, end, opts.heights));
  }
  return {
    seed: opts.seed,
    ok: violations.length === 0,
    violations: [...new Set(violations)],
    trace: violations.length === 0 ? [] : trace.lines(),
    heights: new Map(honest.map((n) => [n, committedHeight.get(n)!])),
    virtualMs: scheduler.now() - GENESIS_TIME,
    messages: network.sent,
    stats: {
      crashes: trace.faults.filter((f) => f.includes(' crash ')).length,
      equivocationsSeen,
      validatorPowerChanged:
        nodes
          .get(honest[0]!)!
          .store.state()
          ?.validators.validators.some((v) => v.power !== POWER) ?? false,
    },
  };
}

/** Draws the chaos phase from the seed; returns the virtual time (ms from start) at which all heals. */
function planChaos(
  rng: Rng,
  scheduler: VirtualScheduler,
  network: SimNetwork,
  nodes: Map<string, SimNode>,
  honest: string[],
  trace: SimTrace,
): number {
  const healAt = rng.int(3_000, 15_000);
  network.faults = {
    dropRate: rng.float() * 0.3,
    duplicateRate: rng.float() * 0.1,
    minDelayMs: 0,
    maxDelayMs: rng.int(5, 800),
  };
  trace.fault(0, `links ${JSON.stringify(network.faults)}`);
  const names = [...nodes.keys()];
  if (rng.chance(0.5)) {
    const start = rng.int(0, healAt - 1);
    const shuffled = rng.shuffle(names);
    const cut = rng.int(1, names.length - 1);
    const groups = [shuffled.slice(0, cut), shuffled.slice(cut)];
    const end = rng.int(start, healAt);
    scheduler.at(start, null, () => {
      network.partition(groups);
      trace.fault(scheduler.now() - GENESIS_TIME, `partition ${JSON.stringify(groups)}`);
    });
    scheduler.at(end, null, () => {
      network.heal();
      trace.fault(scheduler.now() - GENESIS_TIME, 'partition healed');
    });
  }
  const crashes = rng.int(0, 3);
  for (let i = 0; i < crashes; i++) {
    const name = rng.pick(honest);
    const at = rng.int(0, healAt - 1);
    const restartAt = Math.min(healAt, at + rng.int(50, 5_000));
    const beforeSend = rng.chance(0.5);
    scheduler.at(at, name, () => {
      const node = nodes.get(name)!;
      if (!node.up) return;
      if (beforeSend) node.crashBeforeNextSend = true;
      else node.crash();
      trace.fault(
        scheduler.now() - GENESIS_TIME,
        `crash ${name}${beforeSend ? ' before its next send' : ''}`,
      );
    });
    scheduler.at(restartAt, name, () => restart(nodes.get(name)!, scheduler, trace));
  }
  scheduler.at(healAt, null, () => {
    network.heal();
    network.faults = { dropRate: 0, duplicateRate: 0, minDelayMs: 1, maxDelayMs: 50 };
    trace.fault(scheduler.now() - GENESIS_TIME, 'healed: perfect links');
    for (const node of nodes.values()) {
      node.crashBeforeNextSend = false;
      restart(node, scheduler, trace);
    }
  });
  return healAt;
}

function restart(node: SimNode, scheduler: VirtualScheduler, trace: SimTrace): void {
  if (node.up) {
    node.crashBeforeNextSend = false;
    return;
  }
  trace.fault(scheduler.now() - GENESIS_TIME, `restart ${node.name}`);
  void node.start();
}
