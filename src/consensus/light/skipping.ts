/**
 * CometBFT's skipping verification (`verifySkipping`): try to jump from the trusted header straight to the
 * target; when too little of the trusted set signed it, fetch a pivot 9/16 of the way and try that first,
 * recursively, then resume towards the target from whatever became trusted. With validator sets that
 * change slowly this needs a handful of steps for thousands of heights.
 */
import type { LightBlock } from '../api/light_block.ts';
import { isLightError } from './errors.ts';
import { type VerifyContext, verifyStep } from './verifier.ts';

/** Skipping pivot: 9/16 of the way from the trusted height to the target (integer). */
export function skippingPivot(from: number, to: number): number {
  return from + Math.floor(((to - from) * 9) / 16);
}

/**
 * Verifies `target` from `base` by skipping, fetching pivots with `fetch`. Returns the blocks it trusted
 * on the way, ascending, ending with `target`; throws the first error other than `notEnoughTrust`.
 */
export async function verifySkipping(
  base: LightBlock,
  target: LightBlock,
  fetch: (height: number) => Promise<LightBlock>,
  ctx: () => VerifyContext,
): Promise<LightBlock[]> {
  const trusted: LightBlock[] = [];
  const pending: LightBlock[] = [target];
  let from = base;
  while (pending.length > 0) {
    const candidate = pending[pending.length - 1]!;
    try {
      verifyStep(from, candidate, ctx());
    } catch (err) {
      if (!isLightError(err, 'notEnoughTrust')) throw err;
      pending.push(await fetch(skippingPivot(from.header.height, candidate.header.height)));
      continue;
    }
    trusted.push(candidate);
    from = candidate;
    pending.pop();
  }
  return trusted;
}

/** Verifies every height from `base` up to `target` in turn (sequential mode). */
export async function verifySequential(
  base: LightBlock,
  target: LightBlock,
  fetch: (height: number) => Promise<LightBlock>,
  ctx: () => VerifyContext,
): Promise<LightBlock[]> {
  const trusted: LightBlock[] = [];
  let from = base;
  for (let h = base.header.height + 1; h <= target.header.height; h++) {
    const next = h === target.header.height ? target : await fetch(h);
    verifyStep(from, next, ctx());
    trusted.push(next);
    from = next;
  }
  return trusted;
}
