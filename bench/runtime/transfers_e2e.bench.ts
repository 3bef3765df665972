/**
 * ParaTime transfers end to end: a localnet of validators and a 3-node compute committee (2 workers +
 * 1 backup) hosting the accounts ParaTime; many test accounts submit client-rt-signed `accounts.Transfer`s
 * through the compute nodes' gRPC-web (RuntimeClient.SubmitTxMeta, which returns once the round including
 * the transaction is finalized), IN_FLIGHT at a time per account with consecutive nonces. The load runs
 * WARMUP_MS before the measured window opens (the generator starts its 1,000-odd lanes, each with its first
 * nonce query, and the processes warm up): only transactions submitted inside the window count. Reports
 * finalized tx/s, submit→result latency p50/p99, runtime rounds, and CPU per process over the window.
 * Run: node --import tsx --import ./src/polyfill.ts bench/runtime/transfers_e2e.bench.ts
 *      (VALIDATORS=1 ACCOUNTS=256 IN_FLIGHT=4 DURATION_MS=30000 WARMUP_MS=5000 TIMEOUT_COMMIT_MS=200 SANITY_CHECKS=1; PROFILE_DIR=dir writes the nodes'
 *      and runtimes' CPU profiles there, see bench/profile_children.ts; KEEP_DIR=1 keeps the localnet's data
 *      directories and node logs)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareLocalnet } from '../../src/localnet/prepare.ts';
import { LocalnetProcesses } from '../../src/localnet/processes.ts';
import { ParaTimeClient } from '../../test/e2e/paratime_client.ts';
import { cpuSeconds } from '../network/proc_stats.ts';
import { profileChildren } from '../profile_children.ts';
import { reportRow } from '../report.ts';
import { SANITY_CHECKS } from '../sanity_checks.ts';
import { verifyRate } from '../verify_rate.ts';

const DURATION_MS = Number(process.env.DURATION_MS ?? 30_000);
const ACCOUNTS = Number(process.env.ACCOUNTS ?? 256);
const WARMUP_MS = Number(process.env.WARMUP_MS ?? 5_000);
const IN_FLIGHT = Number(process.env.IN_FLIGHT ?? 4);
const VALIDATORS = Number(process.env.VALIDATORS ?? 1);
const TIMEOUT_COMMIT_MS = Number(process.env.TIMEOUT_COMMIT_MS ?? 200);
const PROFILE_DIR = process.env.PROFILE_DIR;

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))] ?? 0;

// One epoch outlasts the run (epoch transitions restart rounds); the first committee comes with epoch 1.
const epochInterval = Math.ceil(((WARMUP_MS + DURATION_MS) * 1.5) / (TIMEOUT_COMMIT_MS + 50));
const dir = mkdtempSync(join(tmpdir(), 'oasis-ts-rt-load-'));
const procs = new LocalnetProcesses();
try {
  const net = await prepareLocalnet({
    dir,
    validators: VALIDATORS,
    compute: 3,
    runtime: 'accounts',
    accounts: ACCOUNTS,
    timeoutCommitMs: TIMEOUT_COMMIT_MS,
    epochInterval,
    sanityChecks: SANITY_CHECKS,
  });
  const profiling = PROFILE_DIR ? profileChildren(PROFILE_DIR) : undefined;
  const pids = net.nodes.map((n) => (n.pid = procs.start(n)));
  profiling?.stop();
  // The first committee is elected at the first epoch transition.
  await procs.waitHeight(net.nodes[0]!, epochInterval + 2, 300_000);
  const compute = net.nodes.filter((n) => n.roles.includes('compute'));
  const clients = net.accounts.map((_, i) => new ParaTimeClient(net, compute[i % compute.length]!, i));
  const latencies: number[] = [];
  const rounds = new Set<bigint>();
  let failed = 0;
  let stop = false;
  // The runtime processes are the compute nodes' children.
  const runtimePids = compute.map((n) =>
    Number(execFileSync('pgrep', ['-P', String(n.pid), '-f', 'main.ts'], { encoding: 'utf8' }).trim()),
  );
  /** Set when the measured window opens: completions before it are warm-up. */
  let measuring = false;
  // Each account keeps IN_FLIGHT transfers going with consecutive nonces (the pool holds a nonce whose
  // predecessor has not landed yet); after a failure it renumbers from its state nonce.
  const senders = clients.map(async (c) => {
    let nonce = await c.nonce();
    const lane = async () => {
      while (!stop) {
        const sent = Date.now();
        try {
          const tx = await c.signedTransfer(1n, nonce++);
          const landed = await c.submit(tx);
          if (!measuring) continue;
          if (landed.outcome.ok === undefined) failed++;
          latencies.push(Date.now() - sent);
          rounds.add(landed.round);
        } catch {
          if (measuring) failed++;
          nonce = await c.nonce();
        }
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, lane));
  });
  process.stderr.write(`warming up for ${WARMUP_MS} ms… `);
  await new Promise((r) => setTimeout(r, WARMUP_MS));
  const cpu0 = pids.map(cpuSeconds);
  const rtCpu0 = runtimePids.map(cpuSeconds);
  const gen0 = process.cpuUsage();
  const t0 = Date.now();
  measuring = true;
  const epochAt = async () => BigInt(await clients[0]!.nic.beaconGetEpoch(0));
  const epoch0 = await epochAt();
  const progress = setInterval(() => {
    const s = (Date.now() - t0) / 1000;
    process.stderr.write(
      `\r${s.toFixed(0)} s, ${latencies.length} finalized (${(latencies.length / s).toFixed(0)} tx/s)   `,
    );
  }, 1000);
  await new Promise((r) => setTimeout(r, DURATION_MS));
  const elapsed = (Date.now() - t0) / 1000;
  const done = latencies.length;
  const cpu = pids.map((p, i) => cpuSeconds(p) - cpu0[i]!);
  const rtCpu = runtimePids.map((p, i) => cpuSeconds(p) - rtCpu0[i]!);
  const gen = process.cpuUsage(gen0);
  const pctOf = (seconds: number) => ((seconds / elapsed) * 100).toFixed(0);
  // An epoch transition re-elects the committee and restarts the round: a stall the window should not hold.
  const epochs = (await epochAt()) - epoch0;
  stop = true;
  clearInterval(progress);
  await Promise.race([Promise.allSettled(senders), new Promise((r) => setTimeout(r, 30_000))]);
  process.stderr.write('\n');
  const rate = verifyRate();
  const computeCpu = compute.map((n) => cpu[net.nodes.indexOf(n)]! + rtCpu[compute.indexOf(n)]!);
  reportRow({
    bench: 'transfers_e2e',
    case: `ParaTime accounts.Transfer, ${VALIDATORS} validator(s) + 3 compute, ${ACCOUNTS} accounts × ${IN_FLIGHT}`,
    perSecond: done / elapsed,
    unit: 'tx/s',
    p50Ms: pct(latencies, 50),
    p99Ms: pct(latencies, 99),
    cpuPerNodePct: cpu.map((c) => (c / elapsed) * 100),
    cpuPerItemUs: (computeCpu.reduce((a, b) => a + b, 0) / computeCpu.length / Math.max(1, done)) * 1e6,
    verifyPerSecond: rate,
  });
  console.log(
    `${VALIDATORS} validator(s) + 3 compute, ${ACCOUNTS} accounts, timeout_commit ${TIMEOUT_COMMIT_MS} ms: ${(done / elapsed).toFixed(0)} finalized runtime tx/s over ` +
      `${elapsed.toFixed(0)} s in ${rounds.size} rounds (${(done / Math.max(1, rounds.size)).toFixed(0)} tx/round); ` +
      `latency p50 ${pct(latencies, 50)} ms, p99 ${pct(latencies, 99)} ms; ${failed} failed; ` +
      `${epochs === 0n ? 'no epoch transition' : `${epochs} epoch transition(s)`} in the window; CPU %: ` +
      `${net.nodes.map((n, i) => `${n.name} ${pctOf(cpu[i]!)}`).join(', ')}, runtimes ${rtCpu.map(pctOf).join('/')}, ` +
      `load generator ${pctOf((gen.user + gen.system) / 1e6)}; raw Ed25519 verify ${rate.toFixed(0)}/s, ` +
      `ratio ${(done / elapsed / rate).toFixed(3)}`,
  );
} finally {
  await procs.stopAll(PROFILE_DIR ? 'SIGTERM' : 'SIGKILL');
  if (process.env.KEEP_DIR) console.log(`localnet kept in ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
