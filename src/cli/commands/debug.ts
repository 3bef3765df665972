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
  const { runSimulation } = await simulator();
  let failed = 0;
  for (let seed = base; seed < base + seeds; seed++) {
    const r = await runSimulation({ seed, validators, byzantine, heights, livenessBudgetMs });
    if (r.ok) continue;
    failed++;
    out(`seed ${seed} FAILED: ${r.violations.join('; ')}`);
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
    .action(async (flags: SimulateFlags) => {
      const failed = await simulateSeeds(flags, (line) => process.stdout.write(`${line}\n`));
      if (failed > 0) process.exitCode = 1;
    });
}
