/**
 * The deterministic fault simulator: N validators running the real driver, engine, WAL, guard and a real
 * application over an in-memory network and a virtual clock, all choices drawn from one seed. A run has a
 * chaos phase (loss, duplication, delays and so reordering, a partition, crashes and restarts including
 * the WAL-write/send window, byzantine validators below a third of the power, skewed node clocks) and a
 * healed phase in which every honest node must commit new heights within a bound. Safety checkers run
 * throughout.
 */

import { useVerifyMemo } from '../../crypto/ed25519.ts';
import type { ByzantineKind } from './byzantine_kinds.ts';
import { checkLiveness, checkNoEquivocation, checkValidity } from './checkers.ts';
import { GENESIS_TIME, POWER, SimCluster } from './cluster.ts';
import { type FaultMask, FULL_FAULTS } from './fault_mask.ts';
import type { LinkFaults } from './network.ts';
import type { SimNode } from './sim_node.ts';

export { SIM_TIMEOUTS } from './cluster.ts';

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
  /** Virtual time allowed after healing for the liveness goal (default 20 s + 10 s per height). */
  livenessBudgetMs?: number;
  /** Behaviours byzantine validators draw from (default only `equivocate`; see byzantine_kinds.ts). */
  byzantineKinds?: readonly ByzantineKind[];
  /** Drawn faults to leave out (shrinking). */
  mask?: FaultMask;
  /**
   * Longest chaos phase, virtual ms (default 15 s; it lasts 3 s to this). Soaks shorten it to fit more
   * schedules: a few seconds still span several rounds (a round's timeouts start at 2 s).
   */
  maxChaosMs?: number;
  /** Verify every signature through OpenSSL each time, without the memo (to show the memo changes nothing). */
  noVerifyMemo?: boolean;
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
  stats: {
    crashes: number;
    equivocationsSeen: number;
    validatorPowerChanged: boolean;
    evidenceCommitted: number;
    /** Messages the byzantine validators sent. */
    byzantineSent: number;
  };
}

/**
 * Runs one seed to completion and checks it. Signature verification outcomes are memoised for the run
 * (every node verifies the same gossip; see `useVerifyMemo`). In three seeds of four the simulated nodes'
 * own signatures are entered as valid when made, so OpenSSL verifies only signatures nobody here made; the
 * fourth verifies every distinct signature in full.
 */
export async function runSimulation(opts: SimulationOptions): Promise<SimulationResult> {
  useVerifyMemo(opts.noVerifyMemo !== true, opts.seed % 4 !== 0);
  try {
    return await simulate(opts);
  } finally {
    useVerifyMemo(false);
  }
}

async function simulate(opts: SimulationOptions): Promise<SimulationResult> {
  const faults = opts.faults ?? true;
  const c = await SimCluster.create({ ...opts, maxClockSkewMs: faults ? 3_000 : 0 });
  const healAt =
    faults && opts.links === undefined
      ? planChaos(c, opts.mask ?? FULL_FAULTS, opts.maxChaosMs ?? 15_000)
      : 0;
  for (const [n, kind] of [...c.byzantineKinds].sort()) c.trace.fault(0, `byzantine ${n} ${kind}`);
  if (opts.links !== undefined) c.network.faults = opts.links;
  const heightAtHeal = new Map<string, number>();
  c.scheduler.at(healAt, null, () => {
    for (const n of c.honest) heightAtHeal.set(n, c.committedHeight.get(n)!);
  });
  const deadline = GENESIS_TIME + healAt + (opts.livenessBudgetMs ?? 20_000 + opts.heights * 10_000);
  const done = () =>
    heightAtHeal.size === c.honest.length &&
    c.honest.every((n) => c.committedHeight.get(n)! >= heightAtHeal.get(n)! + opts.heights);
  await c.runUntil(done, deadline);
  c.stop();

  const violations = [...c.violations];
  violations.push(...checkValidity(c.invalidTxBlocks, () => false));
  violations.push(...checkNoEquivocation(c.signed));
  if (violations.length === 0) {
    const end = new Map(c.honest.map((n) => [n, c.committedHeight.get(n)!]));
    violations.push(...checkLiveness(heightAtHeal, end, opts.heights));
  }
  const changer = c.nodes.get(c.honest[0]!)!;
  return {
    seed: opts.seed,
    ok: violations.length === 0,
    violations: [...new Set(violations)],
    trace: violations.length === 0 ? [] : c.trace.lines(),
    heights: new Map(c.honest.map((n) => [n, c.committedHeight.get(n)!])),
    virtualMs: c.scheduler.now() - GENESIS_TIME,
    messages: c.network.sent,
    stats: {
      crashes: c.trace.faults.filter((f) => f.includes(' crash ')).length,
      equivocationsSeen: c.equivocationsSeen,
      validatorPowerChanged:
        changer.store.state()?.validators.validators.some((v) => v.power !== POWER) ?? false,
      evidenceCommitted: committedEvidence(changer),
      byzantineSent: [...c.byzantine].reduce((n, b) => n + (c.network.sentBy.get(b) ?? 0), 0),
    },
  };
}

function committedEvidence(node: SimNode): number {
  let n = 0;
  for (let h = 1; h <= node.store.height(); h++) n += node.store.block(h)?.evidence.length ?? 0;
  return n;
}

/**
 * Draws the chaos phase from the seed and schedules what `mask` keeps; returns the virtual time (ms from
 * start) at which all heals.
 */
function planChaos(c: SimCluster, mask: FaultMask, maxChaosMs: number): number {
  const { rng, scheduler, network, nodes, honest, trace } = c;
  const healAt = rng.int(Math.min(3_000, maxChaosMs), maxChaosMs);
  const drawn = {
    dropRate: rng.float() * 0.3,
    duplicateRate: rng.float() * 0.1,
    minDelayMs: 0,
    maxDelayMs: rng.int(5, 800),
  };
  network.faults = {
    dropRate: mask.drops === false ? 0 : drawn.dropRate,
    duplicateRate: mask.duplicates === false ? 0 : drawn.duplicateRate,
    minDelayMs: mask.delays === false ? 1 : drawn.minDelayMs,
    maxDelayMs: mask.delays === false ? 1 : drawn.maxDelayMs,
  };
  trace.fault(0, `links ${JSON.stringify(network.faults)}`);
  const names = [...nodes.keys()];
  if (rng.chance(0.5)) {
    const start = rng.int(0, healAt - 1);
    const shuffled = rng.shuffle(names);
    const cut = rng.int(1, names.length - 1);
    const groups = [shuffled.slice(0, cut), shuffled.slice(cut)];
    const end = rng.int(start, healAt);
    if (mask.partition !== false) {
      scheduler.at(start, null, () => {
        network.partition(groups);
        trace.fault(scheduler.now() - GENESIS_TIME, `partition ${JSON.stringify(groups)}`);
      });
      scheduler.at(end, null, () => {
        network.heal();
        trace.fault(scheduler.now() - GENESIS_TIME, 'partition healed');
      });
    }
  }
  const crashes = rng.int(0, 3);
  for (let i = 0; i < crashes; i++) {
    const name = rng.pick(honest);
    const at = rng.int(0, healAt - 1);
    const restartAt = Math.min(healAt, at + rng.int(50, 5_000));
    const beforeSend = rng.chance(0.5);
    if (i >= (mask.crashes ?? crashes)) continue;
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

function restart(node: SimNode, scheduler: SimCluster['scheduler'], trace: SimCluster['trace']): void {
  if (node.up) {
    node.crashBeforeNextSend = false;
    return;
  }
  trace.fault(scheduler.now() - GENESIS_TIME, `restart ${node.name}`);
  void node.start();
}
