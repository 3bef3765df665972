/**
 * Block time of a local network with timeout_commit 0 (the engine's own pace), for 1 and 4 validators,
 * plus memory and CPU per node. Real processes on 127.0.0.1.
 * Run: node --import tsx --import ./src/polyfill.ts bench/network/block_time.bench.ts   (WINDOW_MS=…, VALIDATORS=1,4, SANITY_CHECKS=1)
 * PROFILE_DIR=dir profiles each node's CPU into dir/<validators>v/ (as load.bench.ts does).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareLocalnet } from '../../src/localnet/prepare.ts';
import { LocalnetProcesses } from '../../src/localnet/processes.ts';
import { profileChildren } from '../profile_children.ts';
import { reportRow } from '../report.ts';
import { SANITY_CHECKS } from '../sanity_checks.ts';
import { verifyRate } from '../verify_rate.ts';
import { cpuSeconds, rssMiB } from './proc_stats.ts';

const WINDOW_MS = Number(process.env.WINDOW_MS ?? process.env.DURATION_MS ?? 15_000);
const VALIDATORS = (process.env.VALIDATORS ?? '1,4').split(',').map(Number);
const PROFILE_DIR = process.env.PROFILE_DIR;

for (const validators of VALIDATORS) {
  const dir = mkdtempSync(join(tmpdir(), 'oasis-ts-bench-'));
  const procs = new LocalnetProcesses();
  try {
    const net = await prepareLocalnet({ dir, validators, timeoutCommitMs: 0, sanityChecks: SANITY_CHECKS });
    const profiling = PROFILE_DIR ? profileChildren(join(PROFILE_DIR, `${validators}v`)) : undefined;
    const pids = net.nodes.map((n) => procs.start(n));
    profiling?.stop();
    await Promise.all(net.nodes.map((n) => procs.waitHeight(n, 3, 90_000)));
    const h0 = (await procs.height(net.nodes[0]!))!;
    const cpu0 = pids.map(cpuSeconds);
    const t0 = Date.now();
    await new Promise((r) => setTimeout(r, WINDOW_MS));
    const h1 = (await procs.height(net.nodes[0]!))!;
    const secs = (Date.now() - t0) / 1000;
    const cpu = pids.map((p, i) => cpuSeconds(p) - cpu0[i]!);
    const blocks = h1 - h0;
    const rate = verifyRate();
    const cpuPerBlockUs = (cpu.reduce((a, b) => a + b, 0) / cpu.length / Math.max(1, blocks)) * 1e6;
    reportRow({
      bench: 'block_time',
      case: `${validators} validator(s), empty blocks, timeout_commit 0`,
      perSecond: blocks / secs,
      unit: 'blocks/s',
      cpuPerNodePct: cpu.map((c) => (c / secs) * 100),
      cpuPerItemUs: cpuPerBlockUs,
      verifyPerSecond: rate,
    });
    console.log(
      `${validators} validator(s): ${blocks} blocks in ${secs.toFixed(1)} s → ${(blocks / secs).toFixed(1)} blocks/s, ` +
        `${((secs * 1000) / blocks).toFixed(1)} ms/block; CPU per node ${((cpu.reduce((a, b) => a + b, 0) / cpu.length / blocks) * 1000).toFixed(2)} ms/block; ` +
        `RSS per node ${pids.map((p) => rssMiB(p).toFixed(0)).join('/')} MiB; raw Ed25519 verify ${rate.toFixed(0)}/s`,
    );
  } finally {
    await procs.stopAll(PROFILE_DIR ? 'SIGTERM' : 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}
