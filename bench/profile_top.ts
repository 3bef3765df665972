/**
 * Summarizes V8 CPU profiles (`node --cpu-prof`, bench/cpu_profile_hook.mjs) by self time — or, with
 * `--total`, by inclusive time (each function counted once per sample it is on the stack of) — as shares of
 * the busy (non-idle) time, so a profile of a node under load can be read without DevTools. Several files
 * are merged; `--last S` keeps each profile's last S seconds only (a benchmark's load, not its set-up). Run:
 * node --import tsx bench/profile_top.ts [--top N] [--total] [--last S] [--grep S] file.cpuprofile…
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

interface ProfileNode {
  id: number;
  children?: number[];
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const args = process.argv.slice(2);
const topAt = args.indexOf('--top');
const top = topAt >= 0 ? Number(args.splice(topAt, 2)[1]) : 15;
const totalAt = args.indexOf('--total');
const inclusive = totalAt >= 0;
if (inclusive) args.splice(totalAt, 1);
const lastAt = args.indexOf('--last');
/** Only the last this many seconds of each profile (e.g. a benchmark's load window, not its set-up). */
const lastS = lastAt >= 0 ? Number(args.splice(lastAt, 2)[1]) : Number.POSITIVE_INFINITY;
const grepAt = args.indexOf('--grep');
const grep = grepAt >= 0 ? args.splice(grepAt, 2)[1]! : '';
if (args.length === 0) {
  console.error('usage: profile_top.ts [--top N] [--total] [--last S] [--grep S] file.cpuprofile…');
  process.exit(2);
}

/** Self time in µs per function (name + location), over all given profiles. */
const selfUs = new Map<string, number>();
let totalUs = 0;
for (const file of args) {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const label = new Map<number, string>();
  for (const n of profile.nodes) {
    const f = n.callFrame;
    const where = f.url
      ? `${relative(process.cwd(), f.url.replace(/^file:\/\//, ''))}:${f.lineNumber + 1}`
      : '';
    label.set(n.id, `${f.functionName || '(anonymous)'} ${where}`.trim());
  }
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const spanUs = profile.timeDeltas.reduce((a, b) => a + b, 0);
  let atUs = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    atUs += dt;
    if (spanUs - atUs > lastS * 1e6) return;
    totalUs += dt;
    const keys = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = inclusive ? parent.get(at) : undefined) {
      keys.add(label.get(at) ?? '?');
    }
    for (const key of keys) selfUs.set(key, (selfUs.get(key) ?? 0) + dt);
  });
}
/** Idle samples are never inclusive of anything else. */
const idleUs = selfUs.get('(idle)') ?? 0;
console.log(
  `${args.length} profile(s), ${(totalUs / 1e6).toFixed(1)} s sampled, ${((100 * idleUs) / totalUs).toFixed(0)} % idle`,
);
const rows = [...selfUs]
  .filter(([k]) => k !== '(idle)' && k !== '(root)' && k.includes(grep))
  .sort((a, b) => b[1] - a[1]);
for (const [name, us] of rows.slice(0, top)) {
  const busy = totalUs - idleUs;
  console.log(
    `${((100 * us) / busy).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(7)} ms  ${name}`,
  );
}
