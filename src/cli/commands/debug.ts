/**
 * `oasis-ts debug …`: developer tools. `debug simulate` runs the deterministic consensus simulator over a
 * range of seeds and prints one line per failing seed (with its violations and trace) and a final
 * `N passed, M failed` line; it exits 1 when any seed failed, so it can gate CI and soak runs.
 */
import type { Command } from 'commander';

/** The simulator, loaded only when a simulation runs (it pulls in the whole engine). */
const simulator = () => import('../../consensus/sim/simulation.ts');

function intFlag(value: string, flag: string, min: number): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min)
    throw new Error(`${flag}: expected an integer >= ${min}, got ${value}`);
  return n;
}

/** Options of `debug simulate`. */
export interface SimulateFlags {
  seeds: string;
  seedBase: string;
  validators: string;
  /** Defaults to the most the network tolerates, floor((validators − 1) / 3). */
  byzantine?: string;
  heights: string;
  livenessBudgetMs?: string;
  trace?: boolean;
  /** Comma-separated byzantine behaviours, or `all` (default `equivocate`). */
  byzantineKinds?: string;
  /** JSON fault mask (see fault_mask.ts): replays a shrunk schedule. */
  mask?: string;
  /** Shrink each failing seed to its smallest failing schedule and print how to replay it. */
  shrink?: boolean;
  /** Longest chaos phase in virtual ms (default 15000). */
  maxChaosMs?: string;
}

async function parseKinds(value: string | undefined) {
  const { BYZANTINE_KINDS } = await import('../../consensus/sim/byzantine_kinds.ts');
  if (value === undefined) return undefined;
  if (value === 'all') return [...BYZANTINE_KINDS];
  const kinds = value.split(',').map((k) => k.trim());
  for (const k of kinds)
    if (!(BYZANTINE_KINDS as readonly string[]).includes(k))
      throw new Error(`--byzantine-kinds: unknown kind ${k} (have ${BYZANTINE_KINDS.join(', ')}, all)`);
  return kinds as (typeof BYZANTINE_KINDS)[number][];
}

function parseMask(value: string | undefined) {
  if (value === undefined) return undefined;
  let mask: unknown;
  try {
    mask = JSON.parse(value);
  } catch {
    throw new Error('--mask: expected a JSON object');
  }
  if (mask === null || typeof mask !== 'object' || Array.isArray(mask))
    throw new Error('--mask: expected a JSON object');
  return mask as import('../../consensus/sim/fault_mask.ts').FaultMask;
}

/** Runs the simulator over the requested seeds; returns the number of failed seeds. */
export async function simulateSeeds(flags: SimulateFlags, out: (line: string) => void): Promise<number> {
  const seeds = intFlag(flags.seeds, '--seeds', 1);
  const base = intFlag(flags.seedBase, '--seed-base', 0);
  const validators = intFlag(flags.validators, '--validators', 1);
  const byzantine =
    flags.byzantine === undefined
      ? Math.floor((validators - 1) / 3)
      : intFlag(flags.byzantine, '--byzantine', 0);
  const heights = intFlag(flags.heights, '--heights', 1);
  if (3 * byzantine >= validators) throw new Error('--byzantine: must be below a third of --validators');
  const livenessBudgetMs =
    flags.livenessBudgetMs === undefined
      ? undefined
      : intFlag(flags.livenessBudgetMs, '--liveness-budget-ms', 0);
  const byzantineKinds = await parseKinds(flags.byzantineKinds);
  const mask = parseMask(flags.mask);
  const maxChaosMs =
    flags.maxChaosMs === undefined ? undefined : intFlag(flags.maxChaosMs, '--max-chaos-ms', 1);
  const { runSimulation } = await simulator();
  let failed = 0;
  for (let seed = base; seed < base + seeds; seed++) {
    const opts = { seed, validators, byzantine, heights, livenessBudgetMs, byzantineKinds, mask, maxChaosMs };
    let r = await runSimulation(opts);
    if (r.ok) continue;
    failed++;
    out(`seed ${seed} FAILED: ${r.violations.join('; ')}`);
    if (flags.shrink) {
      const { shrinkFailure } = await import('../../consensus/sim/shrink.ts');
      const { describeMask } = await import('../../consensus/sim/fault_mask.ts');
      const s = await shrinkFailure(opts);
      r = s.result;
      out(`  shrunk to ${describeMask(s.mask)}, ${s.heights} height(s): ${r.violations.join('; ')}`);
      const kinds = flags.byzantineKinds === undefined ? '' : ` --byzantine-kinds ${flags.byzantineKinds}`;
      const chaos = maxChaosMs === undefined ? '' : ` --max-chaos-ms ${maxChaosMs}`;
      out(
        `  replay: oasis-ts debug simulate --seeds 1 --seed-base ${seed} --validators ${validators} --byzantine ${byzantine}${kinds}${chaos} --heights ${s.heights} --mask '${JSON.stringify(s.mask)}' --trace`,
      );
    }
    if (flags.trace) for (const line of r.trace) out(`  ${line}`);
  }
  out(`${seeds - failed} passed, ${failed} failed`);
  return failed;
}

/** Registers the `debug` command group. */
export function registerDebugCommands(program: Command): void {
  const debug = program.command('debug').description('developer tools');
  debug
    .command('simulate')
    .description('run the deterministic consensus fault simulator over many seeds')
    .option('--seeds <n>', 'number of seeds to run', '100')
    .option('--seed-base <s>', 'first seed', '1')
    .option('--validators <v>', 'validators per network', '4')
    .option('--byzantine <b>', 'byzantine validators, below a third (default: as many as tolerated)')
    .option('--heights <h>', 'heights every honest node must commit after healing', '3')
    .option(
      '--liveness-budget-ms <ms>',
      'virtual time allowed after healing (default 20 s + 10 s per height)',
    )
    .option('--trace', 'print the fault schedule and last deliveries of failing seeds')
    .option(
      '--byzantine-kinds <kinds>',
      'byzantine behaviours: comma-separated equivocate,silent,round-liar,flood or all',
    )
    .option(
      '--mask <json>',
      'faults to leave out, e.g. {"partition":false,"crashes":1} (replays a shrunk seed)',
    )
    .option('--shrink', 'shrink each failing seed to its smallest failing schedule')
    .option('--max-chaos-ms <ms>', 'longest chaos phase in virtual ms (default 15000; soaks use less)')
    .action(async (flags: SimulateFlags) => {
      const failed = await simulateSeeds(flags, (line) => process.stdout.write(`${line}\n`));
      if (failed > 0) process.exitCode = 1;
    });
}
