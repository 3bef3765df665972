/**
 * `npm run bench`: runs the throughput benchmarks one after another with short durations (their own
 * output goes to stderr as progress) and prints one table: rate, latency p50/p99, CPU per node, and the
 * ratio of the rate to the single-core Ed25519 verify rate measured in the same benchmark run.
 * BENCH_DURATION_MS (default 15000) sets each window; BENCH_ONLY=load,block_time,… picks benchmarks.
 * Each benchmark stays runnable alone (see its header).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchRow } from './report.ts';

const DURATION_MS = process.env.BENCH_DURATION_MS ?? '15000';
const BENCHES: Array<{ name: string; file: string; env: Record<string, string> }> = [
  { name: 'transfer', file: 'services/transfer.bench.ts', env: { BENCH_TXS: '10000' } },
  { name: 'load', file: 'network/load.bench.ts', env: { VALIDATORS: '1,4', DURATION_MS } },
  { name: 'block_time', file: 'network/block_time.bench.ts', env: { WINDOW_MS: DURATION_MS } },
  { name: 'transfers_e2e', file: 'runtime/transfers_e2e.bench.ts', env: { DURATION_MS } },
  { name: 'erc20_e2e', file: 'runtime/erc20_e2e.bench.ts', env: { DURATION_MS } },
  { name: 'confidential_erc20', file: 'runtime/confidential_erc20.bench.ts', env: {} },
];
const only = process.env.BENCH_ONLY?.split(',');

const dir = mkdtempSync(join(tmpdir(), 'oasis-ts-bench-all-'));
const results = join(dir, 'results.jsonl');
const root = fileURLToPath(new URL('..', import.meta.url));
const failed: string[] = [];
try {
  for (const b of BENCHES) {
    if (only && !only.includes(b.name)) continue;
    process.stderr.write(`== ${b.name} (${b.file})\n`);
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--import', './src/polyfill.ts', join('bench', b.file)],
      {
        cwd: root,
        env: { ...process.env, ...b.env, BENCH_RESULTS: results },
        stdio: ['ignore', process.stderr, process.stderr],
        timeout: 15 * 60_000,
      },
    );
    if (run.status !== 0) failed.push(b.name);
  }
  let rows: BenchRow[] = [];
  try {
    rows = readFileSync(results, 'utf8')
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) => JSON.parse(l) as BenchRow);
  } catch {
    // No benchmark reported.
  }
  printTable(rows);
  if (failed.length > 0) {
    console.log(`failed: ${failed.join(', ')}`);
    process.exitCode = 1;
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

function printTable(rows: BenchRow[]): void {
  const header = [
    'benchmark',
    'rate',
    'p50',
    'p99',
    'CPU per node',
    'CPU per item',
    'verify/s',
    'rate ÷ verify',
  ];
  const ms = (v: number | undefined) => (v === undefined ? '–' : `${v.toFixed(0)} ms`);
  const lines = rows.map((r) => [
    r.case,
    `${r.perSecond.toFixed(r.perSecond < 100 ? 1 : 0)} ${r.unit}`,
    ms(r.p50Ms),
    ms(r.p99Ms),
    r.cpuPerNodePct ? `${r.cpuPerNodePct.map((c) => c.toFixed(0)).join('/')} %` : '–',
    r.cpuPerItemUs === undefined
      ? '–'
      : `${r.cpuPerItemUs.toFixed(0)} µs = ${((r.cpuPerItemUs * r.verifyPerSecond) / 1e6).toFixed(1)} verif.`,
    r.verifyPerSecond.toFixed(0),
    (r.perSecond / r.verifyPerSecond).toFixed(3),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const row = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  console.log(row(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const l of lines) console.log(row(l));
}
