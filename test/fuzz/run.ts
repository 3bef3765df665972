/**
 * `npm run fuzz -- [target…] [--runs N] [--seconds S] [--merge]`: coverage-guided fuzzing of each target
 * with Jazzer.js (libFuzzer), one process per target, bounded by runs and time. Inputs that add coverage
 * go to test-artifacts/fuzz/<target>/corpus (not committed); `--merge` folds them into the committed corpus
 * test/fuzz/corpus/<target> (keeping only inputs that add coverage). A finding leaves its input as
 * test-artifacts/fuzz/<target>/crash-… and fails the run; `npm run fuzz -- <target> --replay <file>` runs
 * that one input again in this process and shows what it threw; `--report` prints the executions so far.
 * Executions per target are appended to
 * test-artifacts/fuzz/executions.tsv.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, closeSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { jazzerEnvironment } from './compat/ensure_compat.ts';
import { TARGETS, targetNamed } from './targets/index.ts';

const args = process.argv.slice(2);

if (args.includes('--report')) {
  // Executions per target so far, summed over runs, as the Markdown table RELIABILITY.md shows.
  const totals = new Map<string, { executions: number; seconds: number; runs: number }>();
  for (const line of readFileSync(join('test-artifacts', 'fuzz', 'executions.tsv'), 'utf8').split('\n')) {
    const [, name, executions, seconds] = line.split('\t');
    if (name === undefined) continue;
    const t = totals.get(name) ?? { executions: 0, seconds: 0, runs: 0 };
    t.executions += Number(executions);
    t.seconds += Number(seconds);
    t.runs++;
    totals.set(name, t);
  }
  console.log('| target | executions | runs | seconds |\n| --- | ---: | ---: | ---: |');
  for (const t of TARGETS) {
    const x = totals.get(t.name) ?? { executions: 0, seconds: 0, runs: 0 };
    console.log(`| \`${t.name}\` | ${x.executions.toLocaleString('en')} | ${x.runs} | ${x.seconds} |`);
  }
  process.exit(0);
}

const replayAt = args.indexOf('--replay');
if (replayAt >= 0) {
  const file = args[replayAt + 1];
  const name = args.find((a, i) => !a.startsWith('--') && i !== replayAt + 1);
  if (file === undefined || name === undefined)
    throw new Error('usage: npm run fuzz -- <target> --replay <file>');
  await targetNamed(name).check(new Uint8Array(readFileSync(file)));
  console.log(`${name}: ${file} answered with a value or our error`);
  process.exit(0);
}
const option = (name: string, fallback: number): number => {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const v = Number(args.splice(i, 2)[1]);
  if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} wants a positive number`);
  return v;
};
const runs = option('--runs', 1_000_000);
const seconds = option('--seconds', 60);
// libFuzzer counts its time from the first input; start-up (compiling and instrumenting) comes on top.
const merge = args.includes('--merge');
const names = args.filter((a) => !a.startsWith('--'));
const targets = names.length > 0 ? names.map(targetNamed) : TARGETS;

const env = { ...process.env, ...jazzerEnvironment() };
const jazzer = join('node_modules', '@jazzer.js', 'core', 'dist', 'cli.js');
const entry = join('test', 'fuzz', 'jazzer_entry.mjs');
let failed = 0;

for (const target of targets) {
  const work = join('test-artifacts', 'fuzz', target.name);
  const corpus = join(work, 'corpus');
  const committed = join('test', 'fuzz', 'corpus', target.name);
  mkdirSync(corpus, { recursive: true });
  mkdirSync(committed, { recursive: true });
  for (const [i, s] of target.seeds().entries()) writeFileSync(join(corpus, `seed-${i}`), s);
  const libFuzzerArgs = merge
    ? ['-merge=1', '-max_len=16384']
    : [
        `-runs=${runs}`,
        `-max_total_time=${seconds}`,
        '-timeout=10',
        '-rss_limit_mb=2048',
        '-max_len=16384',
        '-print_final_stats=1',
        `-artifact_prefix=${work}/`,
      ];
  const dirs = merge ? [committed, corpus] : [corpus, committed];
  const started = Date.now();
  // Output goes straight to the log, so a run cut short (e.g. by an outer timeout) still leaves its stats.
  const logPath = join(work, merge ? 'merge.log' : 'fuzz.log');
  const log = openSync(logPath, 'w');
  const r = spawnSync(
    process.execPath,
    [jazzer, entry, ...dirs, ...(target.async ? [] : ['--sync']), '-i', 'src/', '--', ...libFuzzerArgs],
    {
      env: { ...env, FUZZ_TARGET: target.name, NODE_OPTIONS: '--import tsx --import ./src/polyfill.ts' },
      stdio: ['ignore', log, log],
    },
  );
  closeSync(log);
  const out = readFileSync(logPath, 'utf8');
  if (merge) {
    console.log(`${target.name}: merged (${r.status === 0 ? 'ok' : `exit ${r.status}`})`);
    if (r.status !== 0) failed++;
    continue;
  }
  const executed =
    /stat::number_of_executed_units:\s*(\d+)/.exec(out)?.[1] ??
    /Done (\d+) runs/.exec(out)?.[1] ??
    [...out.matchAll(/^#(\d+)\s/gm)].at(-1)?.[1];
  const secs = ((Date.now() - started) / 1000).toFixed(0);
  const ok = r.status === 0;
  console.log(
    `${target.name}: ${executed ?? '?'} executions in ${secs} s ${ok ? 'ok' : `FAILED (exit ${r.status})`}`,
  );
  appendFileSync(
    join('test-artifacts', 'fuzz', 'executions.tsv'),
    `${new Date().toISOString()}\t${target.name}\t${executed ?? 0}\t${secs}\t${ok ? 'ok' : 'failed'}\n`,
  );
  if (!ok) {
    failed++;
    console.log(out.split('\n').slice(-40).join('\n'));
  }
}
process.exit(failed === 0 ? 0 : 1);
