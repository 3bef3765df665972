/**
 * Shrinks a failing seed: switches off one drawn fault kind at a time (byzantine behaviour, the partition,
 * crashes one by one, drops, duplicates, delays, clock skew) and keeps each switch under which the seed
 * still fails, ending with the smallest schedule found that still breaks a property — the one to read and
 * to keep as a regression test.
 */
import type { FaultMask } from './fault_mask.ts';
import { runSimulation, type SimulationOptions, type SimulationResult } from './simulation.ts';

/** A failing seed's smallest schedule, and the failure under it. */
export interface ShrunkFailure {
  mask: FaultMask;
  heights: number;
  result: SimulationResult;
}

/** Shrinks `opts` (which must fail); `run` is the simulation (replaceable for tests of the shrinker). */
export async function shrinkFailure(
  opts: SimulationOptions,
  run: (o: SimulationOptions) => Promise<SimulationResult> = runSimulation,
): Promise<ShrunkFailure> {
  let mask: FaultMask = { ...opts.mask };
  let heights = opts.heights;
  let result = await run({ ...opts, mask });
  if (result.ok) throw new RangeError(`seed ${opts.seed} does not fail`);
  const attempt = async (next: FaultMask, nextHeights = heights): Promise<boolean> => {
    const r = await run({ ...opts, mask: next, heights: nextHeights });
    if (r.ok) return false;
    mask = next;
    heights = nextHeights;
    result = r;
    return true;
  };
  for (const key of ['byzantine', 'partition', 'drops', 'duplicates', 'delays', 'skew'] as const) {
    if (mask[key] !== false) await attempt({ ...mask, [key]: false });
  }
  // Crashes: the fewest (in draw order) that still fail; at most three are ever drawn.
  for (let n = 0; n < (mask.crashes ?? 3); n++) if (await attempt({ ...mask, crashes: n })) break;
  while (heights > 1 && (await attempt(mask, heights - 1))) {}
  return { mask, heights, result };
}
