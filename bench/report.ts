/**
 * One result row of a benchmark, for `npm run bench` (bench/all.ts): appended as a JSON line to the file
 * named by BENCH_RESULTS when set, so the runner can print one table of every benchmark's figures.
 */
import { appendFileSync } from 'node:fs';

/** A benchmark's figures for one case; anything not measured is left out. */
export interface BenchRow {
  bench: string;
  case: string;
  /** Committed / finalized transactions (or blocks, for block_time) per second. */
  perSecond: number;
  unit: 'tx/s' | 'blocks/s';
  p50Ms?: number;
  p99Ms?: number;
  /** CPU of each node process, % of one core over the window. */
  cpuPerNodePct?: number[];
  /** Node CPU per transaction (or block), in µs, averaged over nodes. */
  cpuPerItemUs?: number;
  /** Single-core Ed25519 verifications per second measured in the same run. */
  verifyPerSecond: number;
}

/** Records a row for the runner (a no-op when run alone). */
export function reportRow(row: BenchRow): void {
  const file = process.env.BENCH_RESULTS;
  if (file) appendFileSync(file, `${JSON.stringify(row)}\n`);
}
