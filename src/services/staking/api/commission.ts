/**
 * Commission schedule types in oasis-core's CBOR shape (`go/staking/api/commission.go`): rate steps and
 * rate-bound steps, each starting at an epoch, rates in units of 1/100000 (`CommissionRateDenominator`).
 */
import { quantity, quantityToBytes } from '../../../codec/quantity.ts';
import { arrayOf, type Decoder, optional, struct, u64 } from '../../../codec/schema.ts';

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

type Obj = Record<string, unknown>;

/** CBOR-ready schedule (all fields omitempty). */
export function commissionScheduleToCbor(cs: CommissionSchedule): Obj {
  const out: Obj = {};
  if (cs.rates.length > 0) {
    out.rates = cs.rates.map((r) => {
      const o: Obj = {};
      if (r.start !== 0n) o.start = r.start;
      if (r.rate !== 0n) o.rate = quantityToBytes(r.rate);
      return o;
    });
  }
  if (cs.bounds.length > 0) {
    out.bounds = cs.bounds.map((b) => {
      const o: Obj = {};
      if (b.start !== 0n) o.start = b.start;
      if (b.rateMin !== 0n) o.rate_min = quantityToBytes(b.rateMin);
      if (b.rateMax !== 0n) o.rate_max = quantityToBytes(b.rateMax);
      return o;
    });
  }
  return out;
}

const rateStepDecoder: Decoder<CommissionRateStep> = (value, path) => {
  const d = struct({ start: optional(u64), rate: optional(quantity) })(value, path);
  return { start: d.start ?? 0n, rate: d.rate ?? 0n };
};

const boundStepDecoder: Decoder<CommissionRateBoundStep> = (value, path) => {
  const d = struct({ start: optional(u64), rate_min: optional(quantity), rate_max: optional(quantity) })(
    value,
    path,
  );
  return { start: d.start ?? 0n, rateMin: d.rate_min ?? 0n, rateMax: d.rate_max ?? 0n };
};

/** Strict decoder of a commission schedule. */
export const commissionScheduleDecoder: Decoder<CommissionSchedule> = (value, path) => {
  const d = struct({
    rates: optional(arrayOf(rateStepDecoder, 10_000)),
    bounds: optional(arrayOf(boundStepDecoder, 10_000)),
  })(value, path);
  return { rates: d.rates ?? [], bounds: d.bounds ?? [] };
};

/** CBOR-ready rules (`min_commission_rate` always present, the rest omitempty). */
export function commissionRulesToCbor(r: CommissionScheduleRules): Obj {
  const out: Obj = { min_commission_rate: quantityToBytes(r.minCommissionRate) };
  if (r.rateChangeInterval !== 0n) out.rate_change_interval = r.rateChangeInterval;
  if (r.rateBoundLead !== 0n) out.rate_bound_lead = r.rateBoundLead;
  if (r.maxRateSteps !== 0) out.max_rate_steps = r.maxRateSteps;
  if (r.maxBoundSteps !== 0) out.max_bound_steps = r.maxBoundSteps;
  return out;
}

/** Strict decoder of commission schedule rules. */
export const commissionRulesDecoder: Decoder<CommissionScheduleRules> = (value, path) => {
  const d = struct({
    rate_change_interval: optional(u64),
    rate_bound_lead: optional(u64),
    max_rate_steps: optional(u64),
    max_bound_steps: optional(u64),
    min_commission_rate: optional(quantity),
  })(value, path);
  return {
    rateChangeInterval: d.rate_change_interval ?? 0n,
    rateBoundLead: d.rate_bound_lead ?? 0n,
    maxRateSteps: Number(d.max_rate_steps ?? 0n),
    maxBoundSteps: Number(d.max_bound_steps ?? 0n),
    minCommissionRate: d.min_commission_rate ?? 0n,
  };
};
