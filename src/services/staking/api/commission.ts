/**
 * Commission schedule types in oasis-core's CBOR shape (`go/staking/api/commission.go`): rate steps and
 * rate-bound steps, each starting at an epoch, rates in units of 1/100000 (`CommissionRateDenominator`).
 */
import { arrayCodec, field, quantityField, structCodec, u64Field, viewCodec } from '../../../codec/typed.ts';

/** Commission rates are numerators over this denominator (10^5: thousandths of a percent). */
export const COMMISSION_RATE_DENOMINATOR = 100_000n;

/** A commission rate taking effect at `start`. */
export interface CommissionRateStep {
  start: bigint;
  rate: bigint;
}

/** Commission rate bounds taking effect at `start`. */
export interface CommissionRateBoundStep {
  start: bigint;
  rateMin: bigint;
  rateMax: bigint;
}

/** A commission schedule: rate steps and bound steps, each in ascending start order. */
export interface CommissionSchedule {
  rates: CommissionRateStep[];
  bounds: CommissionRateBoundStep[];
}

/** Limits on how commission schedules may change (`CommissionScheduleRules`). */
export interface CommissionScheduleRules {
  rateChangeInterval: bigint;
  rateBoundLead: bigint;
  maxRateSteps: number;
  maxBoundSteps: number;
  minCommissionRate: bigint;
}

/** A schedule with no steps. */
export function emptyCommissionSchedule(): CommissionSchedule {
  return { rates: [], bounds: [] };
}

/** The rate of the latest step that has started by `now`, or undefined. */
export function currentRate(cs: CommissionSchedule, now: bigint): bigint | undefined {
  let rate: bigint | undefined;
  for (const step of cs.rates) {
    if (step.start > now) break;
    rate = step.rate;
  }
  return rate;
}

const rateStepWire = structCodec({ start: u64Field(), rate: quantityField() });
const boundStepWire = structCodec({
  start: u64Field(),
  rate_min: quantityField(),
  rate_max: quantityField(),
});

/** Wire shape of a commission schedule (every field omitempty). */
export const commissionScheduleWireCodec = structCodec({
  rates: field(arrayCodec(rateStepWire, 10_000), true),
  bounds: field(arrayCodec(boundStepWire, 10_000), true),
});

/** A commission schedule (CBOR/JSON as oasis-core's struct). */
export const commissionScheduleCodec = viewCodec(
  commissionScheduleWireCodec,
  (w): CommissionSchedule => ({
    rates: w.rates,
    bounds: w.bounds.map((b) => ({ start: b.start, rateMin: b.rate_min, rateMax: b.rate_max })),
  }),
  (cs) => ({
    rates: cs.rates.map((r) => ({ start: r.start, rate: r.rate })),
    bounds: cs.bounds.map((b) => ({ start: b.start, rate_min: b.rateMin, rate_max: b.rateMax })),
  }),
);

/** Wire shape of commission schedule rules (`min_commission_rate` always present, the rest omitempty). */
export const commissionRulesWireCodec = structCodec({
  rate_change_interval: u64Field(),
  rate_bound_lead: u64Field(),
  max_rate_steps: u64Field(),
  max_bound_steps: u64Field(),
  min_commission_rate: quantityField(false),
});

/** Commission schedule rules. */
export const commissionRulesCodec = viewCodec(
  commissionRulesWireCodec,
  (w): CommissionScheduleRules => ({
    rateChangeInterval: w.rate_change_interval,
    rateBoundLead: w.rate_bound_lead,
    maxRateSteps: Number(w.max_rate_steps),
    maxBoundSteps: Number(w.max_bound_steps),
    minCommissionRate: w.min_commission_rate,
  }),
  (r) => ({
    rate_change_interval: r.rateChangeInterval,
    rate_bound_lead: r.rateBoundLead,
    max_rate_steps: BigInt(r.maxRateSteps),
    max_bound_steps: BigInt(r.maxBoundSteps),
    min_commission_rate: r.minCommissionRate,
  }),
);
