/**
 * Long nemesis runs: seeded runs one after another until the event count or the time budget is used up,
 * each checked by the history checker. Nodes run in network namespaces of their own when this runs as root
 * (10.77.K.0/24, deleted at the end), else on loopback with links cut by their P2P fault files.
 *
 *   node --import tsx --import ./src/polyfill.ts scripts/nemesis.ts [--seed N] [--events N]
 *        [--events-per-run N] [--minutes M] [--min-fault-ms N] [--max-fault-ms N] [--json FILE]
 *        [--links auto|namespaces|fault-file] [--compute N]
 *   (--compute N: N compute nodes run the accounts ParaTime under runtime load, with compute faults in the
 *   schedule and the ParaTime checker after each run)
 *   … scripts/nemesis.ts --table FILE   prints the runs logged with --json FILE as RELIABILITY.md's table
 *
 * Prints one line per run and a total; exits 1 on any violation (printing the seed and schedule to replay
 * with `--seed N --events-per-run N --events N`).
 */
import { appendFileSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { runNemesis } from '../test/nemesis/run.ts';
import { describeSchedule } from '../test/nemesis/schedule.ts';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    events: { type: 'string', default: '20' },
    'events-per-run': { type: 'string', default: '10' },
    minutes: { type: 'string', default: '5' },
    'min-fault-ms': { type: 'string', default: '1500' },
    'max-fault-ms': { type: 'string', default: '4000' },
    json: { type: 'string' },
    links: { type: 'string', default: 'auto' },
    compute: { type: 'string', default: '0' },
    table: { type: 'string' },
    quiet: { type: 'boolean', default: false },
  },
});
if (values.table) {
  printTable(values.table);
  process.exit(0);
}

/** The runs of a `--json` log as the table rows and total line of RELIABILITY.md's "Nemesis" section. */
function printTable(file: string): void {
  const runs = readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l));
  let events = 0;
  let acked = 0;
  let violations = 0;
  for (const r of runs) {
    events += r.events;
    acked += r.acknowledged;
    violations += r.violations.length;
    console.log(
      `| ${r.seed} | ${r.links} | ${r.events} | ${r.height} | ${r.attempts} | ${r.acknowledged} | ${r.refused} | ` +
        `${r.indeterminate} (${r.indeterminateApplied}) | ${r.signedMessages} | ${r.violations.length} |`,
    );
  }
  console.log(`\n${runs.length} runs, ${events} events, ${acked} acknowledged, ${violations} violations`);
}

const MAX_MINUTES = 60;
const budgetMs = Math.min(Number(values.minutes), MAX_MINUTES) * 60_000;
const totalEvents = Math.min(Number(values.events), 1_000);
const perRun = Math.max(1, Number(values['events-per-run']));
const start = Date.now();
let seed = Number(values.seed);
let events = 0;
const totals = { runs: 0, events: 0, attempts: 0, acknowledged: 0, refused: 0, indeterminate: 0, violations: 0 };
// A run needs about two and a half minutes (start-up, a few faults, the check); do not start one without them.
while (events < totalEvents && budgetMs - (Date.now() - start) > 150_000) {
  const n = Math.min(perRun, totalEvents - events);
  const r = await runNemesis({
    seed,
    events: n,
    links: values.links as 'namespaces' | 'fault-file' | 'auto',
    compute: Number(values.compute),
    minFaultMs: Number(values['min-fault-ms']),
    maxFaultMs: Number(values['max-fault-ms']),
    // Leave a minute for the last run's catch-up and history check.
    stopFaultsAt: start + budgetMs - 60_000,
    log: values.quiet ? undefined : (line) => console.error(line),
  });
  events += r.eventsRun;
  totals.runs++;
  totals.events += r.eventsRun;
  totals.attempts += r.attempts;
  totals.acknowledged += r.report.acknowledged;
  totals.refused += r.report.refused;
  totals.indeterminate += r.report.indeterminate;
  totals.violations += r.report.violations.length;
  const line = {
    seed,
    events: r.eventsRun,
    links: r.links,
    seconds: Math.round(r.durationMs / 1000),
    height: r.report.height,
    attempts: r.attempts,
    acknowledged: r.report.acknowledged,
    refused: r.report.refused,
    indeterminate: r.report.indeterminate,
    indeterminateApplied: r.report.indeterminateApplied,
    signedMessages: r.report.signedMessages,
    kinds: r.schedule.slice(0, r.eventsRun).map((e) => e.kind).join(","),
    ...(r.paratime
      ? {
          compute: Number(values.compute),
          runtimeRounds: r.paratime.rounds,
          runtimeAcknowledged: r.paratime.acknowledged,
          runtimeIndeterminate: r.paratime.indeterminate,
          runtimeIndeterminateApplied: r.paratime.indeterminateApplied,
          runtimeEmptyAnswers: r.paratime.emptyAnswers,
        }
      : {}),
    violations: r.report.violations,
  };
  console.log(JSON.stringify(line));
  if (values.json) appendFileSync(values.json, `${JSON.stringify(line)}\n`);
  if (r.report.violations.length > 0)
    console.error(`FAILED seed ${seed}; schedule:\n${describeSchedule(r.schedule)}\n${r.report.violations.join('\n')}`);
  seed++;
}
console.log(`total ${JSON.stringify(totals)}`);
process.exit(totals.violations > 0 ? 1 : 0);
