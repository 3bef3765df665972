/**
 * Commission schedule rules (oasis-core `commission.go`): amendments must start after now (bounds at
 * least `rate_bound_lead` ahead unless it is the first bound schedule), are spliced over existing future
 * steps, old steps are pruned, and every rate in force must lie within the bound in force.
 * Violations are plain (uncoded) errors, as in oasis-core.
 */
import { plainError } from '../mux/result.ts';
import {
  COMMISSION_RATE_DENOMINATOR,
  type CommissionSchedule,
  type CommissionScheduleRules,
} from './api/commission.ts';

function validateComplexity(cs: CommissionSchedule, rules: CommissionScheduleRules): void {
  if (cs.rates.length > rules.maxRateSteps)
    throw plainError(`rate schedule ${cs.rates.length} steps exceeds maximum ${rules.maxRateSteps}`);
  if (cs.bounds.length > rules.maxBoundSteps)
    throw plainError(`bound schedule ${cs.bounds.length} steps exceeds maximum ${rules.maxBoundSteps}`);
}

function aligned(start: bigint, rules: CommissionScheduleRules): boolean {
  return rules.rateChangeInterval !== 0n && start % rules.rateChangeInterval === 0n;
}

function validateNondegenerate(cs: CommissionSchedule, rules: CommissionScheduleRules): void {
  const min = rules.minCommissionRate;
  cs.rates.forEach((step, i) => {
    if (!aligned(step.start, rules)) throw plainError(`rate step ${i} start epoch not aligned with interval`);
    if (i > 0 && step.start <= cs.rates[i - 1]!.start)
      throw plainError(`rate step ${i} not after previous step`);
    if (step.rate > COMMISSION_RATE_DENOMINATOR) throw plainError(`rate step ${i} rate over unity`);
    if (step.rate < min) throw plainError(`rate step ${i} rate less than minimum allowed commission rate`);
  });
  cs.bounds.forEach((step, i) => {
    if (!aligned(step.start, rules))
      throw plainError(`bound step ${i} start epoch not aligned with interval`);
    if (i > 0 && step.start <= cs.bounds[i - 1]!.start)
      throw plainError(`bound step ${i} not after previous step`);
    if (step.rateMin > COMMISSION_RATE_DENOMINATOR)
      throw plainError(`bound step ${i} minimum rate over unity`);
    if (step.rateMax > COMMISSION_RATE_DENOMINATOR)
      throw plainError(`bound step ${i} maximum rate over unity`);
    if (step.rateMax < step.rateMin) throw plainError(`bound step ${i} maximum rate less than minimum rate`);
    if (step.rateMax < min || step.rateMin < min)
      throw plainError(`bound step ${i} rate less than minimum allowed commission rate`);
  });
}

function validateAmendmentAcceptable(
  amendment: CommissionSchedule,
  rules: CommissionScheduleRules,
  now: bigint,
  initialSchedule: boolean,
): void {
  const firstRate = amendment.rates[0];
  if (firstRate !== undefined && firstRate.start <= now)
    throw plainError(
      `rate schedule with start epoch ${firstRate.start} must not alter rate on or before ${now}`,
    );
  const firstBound = amendment.bounds[0];
  if (firstBound !== undefined) {
    const earliest = now + 1n + (initialSchedule ? 0n : rules.rateBoundLead);
    if (firstBound.start < earliest)
      throw plainError(
        `bound schedule with start epoch ${firstBound.start} must not alter before ${earliest}`,
      );
  }
}

/** Drops steps that are no longer in force (keeping the one currently active). */
export function prune(cs: CommissionSchedule, now: bigint): void {
  while (cs.rates.length > 1 && cs.rates[1]!.start <= now) cs.rates.shift();
  while (cs.bounds.length > 1 && cs.bounds[1]!.start <= now) cs.bounds.shift();
}

function splice<T extends { start: bigint }>(existing: T[], amendment: T[]): T[] {
  if (amendment.length === 0) return existing;
  const first = amendment[0]!.start;
  const keep = existing.filter((s) => s.start < first);
  return [...keep, ...amendment];
}

function validateWithinBound(cs: CommissionSchedule, now: bigint): void {
  if (cs.rates.length === 0 && cs.bounds.length === 0) return;
  if (cs.rates.length === 0) throw plainError('rates missing');
  if (cs.bounds.length === 0) throw plainError('bounds missing');
  let ri = 0;
  let bi = 0;
  const r0 = cs.rates[0]!;
  const b0 = cs.bounds[0]!;
  if ((r0.start > now || b0.start > now) && r0.start !== b0.start)
    throw plainError(
      `rate schedule start epoch ${r0.start} and bound schedule start epoch ${b0.start} don't match`,
    );
  for (;;) {
    const rate = cs.rates[ri]!;
    const bound = cs.bounds[bi]!;
    if (rate.rate < bound.rateMin)
      throw plainError(`rate from rate step ${ri} less than minimum rate of bound step ${bi}`);
    if (rate.rate > bound.rateMax)
      throw plainError(`rate from rate step ${ri} greater than maximum rate of bound step ${bi}`);
    const nextRate = cs.rates[ri + 1];
    const nextBound = cs.bounds[bi + 1];
    if (nextRate === undefined && nextBound === undefined) return;
    const advanceRate =
      nextRate !== undefined && (nextBound === undefined || nextRate.start <= nextBound.start);
    const advanceBound =
      nextBound !== undefined && (nextRate === undefined || nextBound.start <= nextRate.start);
    if (advanceRate) ri++;
    if (advanceBound) bi++;
  }
}

/** Validates a schedule loaded from genesis and prunes steps already past. */
export function pruneAndValidate(cs: CommissionSchedule, rules: CommissionScheduleRules, now: bigint): void {
  validateComplexity(cs, rules);
  validateNondegenerate(cs, rules);
  prune(cs, now);
  validateWithinBound(cs, now);
}

/** Applies an amendment to `cs` in place; throws (leaving `cs` possibly modified) when unacceptable. */
export function amendAndPruneAndValidate(
  cs: CommissionSchedule,
  amendment: CommissionSchedule,
  rules: CommissionScheduleRules,
  now: bigint,
): void {
  validateComplexity(amendment, rules);
  validateNondegenerate(amendment, rules);
  validateAmendmentAcceptable(amendment, rules, now, cs.bounds.length === 0);
  prune(cs, now);
  cs.rates = splice(cs.rates, amendment.rates);
  cs.bounds = splice(cs.bounds, amendment.bounds);
  validateComplexity(cs, rules);
  validateWithinBound(cs, now);
}
