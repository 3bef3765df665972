/**
 * One nemesis run: a localnet of real node processes (each in its own network namespace when available)
 * under steady transfer load, faults applied one at a time from a seeded schedule, each healed and followed
 * by a check that the chain moves again, then the history checker. Used by the CI test and
 * `scripts/nemesis.ts`; everything it creates (processes, namespaces, the directory) is removed at the end.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeClient } from '../../src/api/grpc_client.ts';
import { toHex } from '../../src/codec/bytes.ts';
import { decodeCanonical } from '../../src/codec/cbor.ts';
import { headerDecoder } from '../../src/consensus/api/block.ts';
import type { LocalnetManifest, LocalnetNode } from '../../src/localnet/manifest.ts';
import { prepareLocalnet } from '../../src/localnet/prepare.ts';
import { LocalnetProcesses } from '../../src/localnet/processes.ts';
import { type CheckReport, checkChain } from './checker.ts';
import { FaultFileLinks, type LinkFaults } from './fault_file_links.ts';
import { Load } from './load.ts';
import { NamespaceNetwork, namespacesAvailable } from './netns.ts';
import { checkParaTime, consensusRuntimeBlock, type ParaTimeReport } from './paratime_checker.ts';
import { RuntimeLoad } from './runtime_load.ts';
import { describeSchedule, type NemesisEvent, nemesisSchedule } from './schedule.ts';

/** What to run. */
export interface NemesisOptions {
  seed: number;
  events: number;
  validators?: number;
  /** Load clients (one funded account each). */
  clients?: number;
  /**
   * Compute nodes running the accounts ParaTime (default 0: consensus only). With them, ParaTime clients
   * add runtime load, the schedule adds compute faults and the ParaTime checker runs too.
   */
  compute?: number;
  /** ParaTime load clients (default 2, with compute nodes). */
  runtimeClients?: number;
  /** Fault duration range, milliseconds. */
  minFaultMs?: number;
  maxFaultMs?: number;
  /**
   * How links are cut: `namespaces` (real links; needs root), `fault-file` (the nodes' test-only P2P fault
   * files), `auto` (namespaces when available, else fault files; the default).
   */
  links?: 'namespaces' | 'fault-file' | 'auto';
  /** Odd clients use gRPC-web (default true). */
  grpcWeb?: boolean;
  /** No new fault starts after this time (epoch ms); the rest of the schedule is skipped. */
  stopFaultsAt?: number;
  log?: (line: string) => void;
}

/** What a run did and found. */
export interface NemesisResult {
  seed: number;
  schedule: NemesisEvent[];
  /** How links were cut. */
  links: 'namespaces' | 'fault-file';
  eventsRun: number;
  attempts: number;
  report: CheckReport;
  /** The ParaTime checker's report (with compute nodes). */
  paratime?: ParaTimeReport;
  durationMs: number;
}

/** Blocks per epoch with compute nodes (short, so committees change during a run). */
const EPOCH_INTERVAL = 12;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs one seeded nemesis; violations are in `report.violations` (liveness ones included). */
export async function runNemesis(o: NemesisOptions): Promise<NemesisResult> {
  const t0 = Date.now();
  const log = o.log ?? (() => {});
  const validators = o.validators ?? 4;
  const computeCount = o.compute ?? 0;
  const total = validators + computeCount + 1;
  const computeIdx = Array.from({ length: computeCount }, (_, i) => validators + i);
  const mode = o.links ?? 'auto';
  const ns =
    mode === 'namespaces' || (mode === 'auto' && namespacesAvailable())
      ? NamespaceNetwork.create(total)
      : undefined;
  const schedule = nemesisSchedule({
    seed: o.seed,
    events: o.events,
    validators,
    nodes: total,
    links: true,
    compute: computeIdx,
    minMs: o.minFaultMs ?? 2_000,
    maxMs: o.maxFaultMs ?? 6_000,
  });
  log(
    `nemesis seed ${o.seed}, ${ns ? 'network namespaces' : 'loopback (no link faults)'}:\n${describeSchedule(schedule)}`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'oasis-ts-nemesis-'));
  const procs = new LocalnetProcesses();
  // Interrupted (Ctrl-C, a CI timeout): no node may outlive the run, no namespace may stay behind.
  const abandon = () => {
    procs.killAllNow();
    ns?.destroy();
  };
  const onSignal = (signal: NodeJS.Signals) => {
    abandon();
    process.kill(process.pid, signal);
  };
  process.once('exit', abandon);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const violations: string[] = [];
  let load: Load | undefined;
  let runtimeLoad: RuntimeLoad | undefined;
  let eventsRun = 0;
  try {
    const clients = o.clients ?? 8;
    const runtimeClients = computeCount > 0 ? (o.runtimeClients ?? 2) : 0;
    const net = await prepareLocalnet({
      dir,
      validators,
      clients: 1,
      accounts: clients + runtimeClients,
      timeoutCommitMs: 300,
      ...(computeCount > 0
        ? { compute: computeCount, runtime: 'accounts', epochInterval: EPOCH_INTERVAL }
        : {}),
      ...(ns ? { hosts: ns.hosts } : { p2pFaults: true }),
    });
    const links: LinkFaults = ns ?? new FaultFileLinks(net);
    const indexOf = new Map(net.nodes.map((n, i) => [n.name, i]));
    if (ns) procs.launcher = (node) => ns.launcher(indexOf.get(node.name)!);
    procs.onUnexpectedExit = (name, code) => violations.push(`${name} exited on its own (code ${code})`);
    const pids = new Map<string, number>();
    const start = (n: LocalnetNode) => pids.set(n.name, procs.start(n));
    for (const n of net.nodes) start(n);
    // With compute nodes, the first executor committee is elected at the first epoch transition.
    const firstHeight = computeCount > 0 ? EPOCH_INTERVAL + 2 : 2;
    await Promise.all(net.nodes.map((n) => procs.waitHeight(n, firstHeight, 180_000)));
    const leaderOf = await proposerIndex(net);
    load = new Load({ net, nodes: net.nodes, clients, grpcWeb: o.grpcWeb ?? true });
    const hosting = net.nodes.filter((n) => n.roles.includes('compute') || n.roles.includes('observer'));
    if (computeCount > 0) {
      runtimeLoad = new RuntimeLoad({ net, nodes: hosting, clients: runtimeClients, firstAccount: clients });
      const deadline = Date.now() + 120_000;
      while (runtimeLoad.acknowledged === 0 && Date.now() < deadline) await sleep(500);
      if (runtimeLoad.acknowledged === 0)
        violations.push('no runtime transaction acknowledged before faults');
    }
    await sleep(2_000);
    for (const event of schedule) {
      if (o.stopFaultsAt !== undefined && Date.now() > o.stopFaultsAt) break;
      const before = await topHeight(procs, net);
      const roundBefore = computeCount > 0 ? await runtimeRound(net) : undefined;
      await applyFault(event, net, procs, links, leaderOf, start, pids);
      const killed = event.killed === undefined ? '' : ` (${event.killed} runtime processes killed)`;
      log(
        `#${event.index} ${event.kind} [${event.nodes}] for ${event.durationMs} ms from height ${before}${killed}`,
      );
      eventsRun++;
      const after = await topHeight(procs, net);
      const moved = await waitProgress(procs, net, validators, after + 2, 60_000);
      if (!moved)
        violations.push(`no quorum progress within 60 s after healing #${event.index} ${event.kind}`);
      if (roundBefore !== undefined && !(await waitRuntimeProgress(net, roundBefore + 2, 90_000)))
        violations.push(`no runtime round within 90 s after healing #${event.index} ${event.kind}`);
    }
    await load.stop();
    await runtimeLoad?.stop();
    const report = await checkChain(net, load.history);
    report.violations.unshift(...violations);
    const paratime = runtimeLoad ? await checkParaTime(net, hosting, runtimeLoad.history) : undefined;
    if (paratime) report.violations.push(...paratime.violations);
    return {
      seed: o.seed,
      schedule,
      links: ns ? 'namespaces' : 'fault-file',
      eventsRun,
      attempts: load.history.length,
      report,
      paratime,
      durationMs: Date.now() - t0,
    };
  } finally {
    await load?.stop().catch(() => undefined);
    await runtimeLoad?.stop().catch(() => undefined);
    procs.onUnexpectedExit = () => {};
    await procs.stopAll('SIGKILL');
    ns?.destroy();
    process.off('exit', abandon);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    // NEMESIS_KEEP=1 keeps the nodes' directories (logs, WALs, stores) for a post-mortem.
    if (process.env.NEMESIS_KEEP === '1') log(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

/** Maps the proposer of the latest block to its node index (validators only). */
async function proposerIndex(net: LocalnetManifest): Promise<() => Promise<number>> {
  const byKey = new Map<string, number>();
  const clients = net.nodes.map((n) => new NodeClient(`unix:${n.internal_socket}`));
  for (const [i, c] of clients.entries()) {
    const status = await c.call<{ identity: { consensus: Uint8Array } }>(
      'oasis-core.NodeController',
      'GetStatus',
    );
    byKey.set(toHex(status.identity.consensus), i);
    c.close();
  }
  return async () => {
    for (const n of net.nodes) {
      const c = new NodeClient(`unix:${n.internal_socket}`);
      try {
        const block = await c.call<{ meta: Uint8Array }>('oasis-core.Consensus', 'GetBlock', 0, 3_000);
        const header = headerDecoder(decodeCanonical(block.meta), 'meta');
        const i = byKey.get(toHex(header.proposer));
        if (i !== undefined) return i;
      } catch {
        // Try the next node.
      } finally {
        c.close();
      }
    }
    return 0;
  };
}

async function topHeight(procs: LocalnetProcesses, net: LocalnetManifest): Promise<number> {
  const hs = await Promise.all(net.nodes.map(async (n) => (await procs.height(n)) ?? 0));
  return Math.max(...hs);
}

/** Waits until a quorum of validators (more than two thirds) reports `height`. */
async function waitProgress(
  procs: LocalnetProcesses,
  net: LocalnetManifest,
  validators: number,
  height: number,
  timeoutMs: number,
): Promise<boolean> {
  const quorum = validators - Math.floor((validators - 1) / 3);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const hs = await Promise.all(
      net.nodes.slice(0, validators).map(async (n) => (await procs.height(n)) ?? 0),
    );
    if (hs.filter((h) => h >= height).length >= quorum) return true;
    await sleep(250);
  }
  return false;
}

async function applyFault(
  e: NemesisEvent,
  net: LocalnetManifest,
  procs: LocalnetProcesses,
  links: LinkFaults,
  leaderOf: () => Promise<number>,
  start: (n: LocalnetNode) => void,
  pids: Map<string, number>,
): Promise<void> {
  const node = (i: number) => net.nodes[i]!;
  switch (e.kind) {
    case 'kill':
    case 'kill-compute':
      await procs.stop(node(e.nodes[0]!).name, 'SIGKILL');
      await sleep(e.durationMs);
      start(node(e.nodes[0]!));
      return;
    case 'kill-runtime': {
      const children = runtimeChildren(pids.get(node(e.nodes[0]!).name) ?? 0);
      for (const pid of children) process.kill(pid, 'SIGKILL');
      e.killed = children.length;
      await sleep(e.durationMs);
      return;
    }
    case 'pause':
      procs.signal(node(e.nodes[0]!).name, 'SIGSTOP');
      await sleep(e.durationMs);
      procs.signal(node(e.nodes[0]!).name, 'SIGCONT');
      return;
    case 'restart-all':
      await procs.stopAll('SIGKILL');
      await sleep(e.durationMs);
      for (const n of net.nodes) start(n);
      return;
    case 'isolate':
    case 'isolate-compute':
      links.isolate(e.nodes[0]!);
      await sleep(e.durationMs);
      links.rejoin(e.nodes[0]!);
      return;
    case 'isolate-leader': {
      const leader = await leaderOf();
      e.nodes = [leader];
      links.partition([leader]);
      await sleep(e.durationMs);
      links.healAll();
      return;
    }
    case 'split':
      links.partition(e.nodes);
      await sleep(e.durationMs);
      links.healAll();
      return;
  }
}

/**
 * The runtime processes a node hosts: its descendants started with a heap limit (the runtime host spawns
 * them so; the node's other helpers, e.g. esbuild, are not).
 */
function runtimeChildren(nodePid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parentOf.set(Number(entry), ppid);
    } catch {
      // exited meanwhile
    }
  }
  const descends = (pid: number): boolean => {
    for (let p = parentOf.get(pid); p !== undefined && p > 1; p = parentOf.get(p))
      if (p === nodePid) return true;
    return false;
  };
  return [...parentOf.keys()].filter((pid) => {
    if (!descends(pid)) return false;
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes('--max-old-space-size=');
    } catch {
      return false;
    }
  });
}

/** The runtime's latest round on consensus (-1 when no validator answers). */
async function runtimeRound(net: LocalnetManifest): Promise<number> {
  const b = await consensusRuntimeBlock(net);
  return b === undefined ? -1 : Number(b.header.round);
}

/** Waits until the runtime's round on consensus reaches `round`. */
async function waitRuntimeProgress(
  net: LocalnetManifest,
  round: number,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await runtimeRound(net)) >= round) return true;
    await sleep(500);
  }
  return false;
}
