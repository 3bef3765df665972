/**
 * Staking consensus parameters in oasis-core's CBOR shape (`ConsensusParameters`, `go/staking/api/api.go`),
 * with gas operation names and the reward/fee constants that go with them.
 */
import { quantity, quantityToBytes } from '../../../codec/quantity.ts';
import {
  arrayOf,
  bool,
  type Decoder,
  enumOf,
  mapOf,
  optional,
  struct,
  text,
  u64,
} from '../../../codec/schema.ts';
import { CodecError } from '../../../errors.ts';
import type { GasCosts } from '../../mux/gas.ts';
import { type ThresholdKindValue, thresholdKindDecoder } from './account.ts';
import { type AddressHex, addressDecoder, addressOfHex, compareHex, hexOf } from './address.ts';
import { type CommissionScheduleRules, commissionRulesDecoder, commissionRulesToCbor } from './commission.ts';

/** Gas operation names of staking methods (keys of `gas_costs`). */
export const GasOps = Object.freeze({
  transfer: 'transfer',
  burn: 'burn',
  addEscrow: 'add_escrow',
  reclaimEscrow: 'reclaim_escrow',
  amendCommissionSchedule: 'amend_commission_schedule',
  allow: 'allow',
  withdraw: 'withdraw',
});

/** Reward amounts are `balance × factor × scale / REWARD_AMOUNT_DENOMINATOR`. */
export const REWARD_AMOUNT_DENOMINATOR = 100_000_000n;

/** Slashing reasons (`SlashReason`). */
export const SlashReason = Object.freeze({
  consensusEquivocation: 0x00,
  consensusLightClientAttack: 0x04,
  runtimeIncorrectResults: 0x80,
  runtimeEquivocation: 0x81,
  runtimeLiveness: 0x82,
});
const SLASH_REASONS = [0x00, 0x01, 0x02, 0x03, 0x04, 0x80, 0x81, 0x82] as const;

/** A reward schedule step: `scale` applies to epochs before `until`. */
export interface RewardStep {
  until: bigint;
  scale: bigint;
}

/** A slashing penalty: amount taken from escrow and epochs the node is frozen. */
export interface Slash {
  amount: bigint;
  freezeInterval: bigint;
}

/** Staking consensus parameters. */
export interface StakingParameters {
  thresholds: Map<ThresholdKindValue, bigint>;
  debondingInterval: bigint;
  rewardSchedule: RewardStep[];
  signingRewardThresholdNumerator: bigint;
  signingRewardThresholdDenominator: bigint;
  commissionScheduleRules: CommissionScheduleRules;
  slashing: Map<number, Slash>;
  gasCosts: GasCosts;
  minDelegation: bigint;
  minTransfer: bigint;
  minTransactBalance: bigint;
  disableTransfers: boolean;
  disableDelegation: boolean;
  undisableTransfersFrom: Set<AddressHex>;
  allowEscrowMessages: boolean;
  maxAllowances: number;
  feeSplitWeightPropose: bigint;
  feeSplitWeightVote: bigint;
  feeSplitWeightNextPropose: bigint;
  rewardFactorEpochSigned: bigint;
  rewardFactorBlockProposed: bigint;
  debugBypassStake: boolean;
  /** Present in some oasis-core versions' parameters (the client types list them); carried through. */
  tokenSymbol?: string;
  tokenValueExponent?: number;
}

/** Parameters with every value zero/empty (tests and tools fill in what they need). */
export function defaultStakingParameters(): StakingParameters {
  return {
    thresholds: new Map(),
    debondingInterval: 0n,
    rewardSchedule: [],
    signingRewardThresholdNumerator: 0n,
    signingRewardThresholdDenominator: 0n,
    commissionScheduleRules: {
      rateChangeInterval: 0n,
      rateBoundLead: 0n,
      maxRateSteps: 0,
      maxBoundSteps: 0,
      minCommissionRate: 0n,
    },
    slashing: new Map(),
    gasCosts: {},
    minDelegation: 0n,
    minTransfer: 0n,
    minTransactBalance: 0n,
    disableTransfers: false,
    disableDelegation: false,
    undisableTransfersFrom: new Set(),
    allowEscrowMessages: false,
    maxAllowances: 0,
    feeSplitWeightPropose: 0n,
    feeSplitWeightVote: 0n,
    feeSplitWeightNextPropose: 0n,
    rewardFactorEpochSigned: 0n,
    rewardFactorBlockProposed: 0n,
    debugBypassStake: false,
  };
}

type Obj = Record<string, unknown>;

/** CBOR-ready parameters (omitempty as oasis-core's struct tags). */
export function stakingParametersToCbor(p: StakingParameters): Obj {
  const q = quantityToBytes;
  const out: Obj = {
    commission_schedule_rules: commissionRulesToCbor(p.commissionScheduleRules),
    min_delegation: q(p.minDelegation),
    min_transfer: q(p.minTransfer),
    min_transact_balance: q(p.minTransactBalance),
    fee_split_weight_propose: q(p.feeSplitWeightPropose),
    fee_split_weight_vote: q(p.feeSplitWeightVote),
    fee_split_weight_next_propose: q(p.feeSplitWeightNextPropose),
    reward_factor_epoch_signed: q(p.rewardFactorEpochSigned),
    reward_factor_block_proposed: q(p.rewardFactorBlockProposed),
  };
  if (p.thresholds.size > 0) {
    out.thresholds = new Map([...p.thresholds].sort((a, b) => a[0] - b[0]).map(([k, v]) => [k, q(v)]));
  }
  if (p.debondingInterval !== 0n) out.debonding_interval = p.debondingInterval;
  if (p.rewardSchedule.length > 0) {
    out.reward_schedule = p.rewardSchedule.map((s) => ({ until: s.until, scale: q(s.scale) }));
  }
  if (p.signingRewardThresholdNumerator !== 0n)
    out.signing_reward_threshold_numerator = p.signingRewardThresholdNumerator;
  if (p.signingRewardThresholdDenominator !== 0n)
    out.signing_reward_threshold_denominator = p.signingRewardThresholdDenominator;
  if (p.slashing.size > 0) {
    out.slashing = new Map(
      [...p.slashing]
        .sort((a, b) => a[0] - b[0])
        .map(([k, s]) => [k, { amount: q(s.amount), freeze_interval: s.freezeInterval }]),
    );
  }
  const gasOps = Object.keys(p.gasCosts).sort();
  if (gasOps.length > 0) out.gas_costs = Object.fromEntries(gasOps.map((k) => [k, p.gasCosts[k]!]));
  if (p.disableTransfers) out.disable_transfers = true;
  if (p.disableDelegation) out.disable_delegation = true;
  if (p.undisableTransfersFrom.size > 0) {
    out.undisable_transfers_from = new Map(
      [...p.undisableTransfersFrom].sort(compareHex).map((h) => [addressOfHex(h), true]),
    );
  }
  if (p.allowEscrowMessages) out.allow_escrow_messages = true;
  if (p.maxAllowances !== 0) out.max_allowances = p.maxAllowances;
  if (p.debugBypassStake) out.debug_bypass_stake = true;
  if (p.tokenSymbol !== undefined && p.tokenSymbol !== '') out.token_symbol = p.tokenSymbol;
  if (p.tokenValueExponent !== undefined && p.tokenValueExponent !== 0)
    out.token_value_exponent = p.tokenValueExponent;
  return out;
}

const slashDecoder: Decoder<Slash> = (value, path) => {
  const d = struct({ amount: quantity, freeze_interval: u64 })(value, path);
  return { amount: d.amount, freezeInterval: d.freeze_interval };
};

const rewardStepDecoder: Decoder<RewardStep> = (value, path) =>
  struct({ until: u64, scale: quantity })(value, path);

const u32: Decoder<number> = (value, path) => {
  const v = u64(value, path);
  if (v > 0xffff_ffffn) throw new CodecError(path, 'expected a 32-bit unsigned integer');
  return Number(v);
};

const paramsSpec = struct({
  thresholds: optional(mapOf(thresholdKindDecoder, quantity)),
  debonding_interval: optional(u64),
  reward_schedule: optional(arrayOf(rewardStepDecoder, 10_000)),
  signing_reward_threshold_numerator: optional(u64),
  signing_reward_threshold_denominator: optional(u64),
  commission_schedule_rules: optional(commissionRulesDecoder),
  slashing: optional(mapOf(enumOf(SLASH_REASONS), slashDecoder)),
  gas_costs: optional(mapOf(text, u64)),
  min_delegation: optional(quantity),
  min_transfer: optional(quantity),
  min_transact_balance: optional(quantity),
  disable_transfers: optional(bool),
  disable_delegation: optional(bool),
  undisable_transfers_from: optional(mapOf(addressDecoder, bool)),
  allow_escrow_messages: optional(bool),
  max_allowances: optional(u32),
  fee_split_weight_propose: optional(quantity),
  fee_split_weight_vote: optional(quantity),
  fee_split_weight_next_propose: optional(quantity),
  reward_factor_epoch_signed: optional(quantity),
  reward_factor_block_proposed: optional(quantity),
  debug_bypass_stake: optional(bool),
  token_symbol: optional(text),
  token_value_exponent: optional(u32),
});

/** Strict decoder of staking parameters. */
export const stakingParametersDecoder: Decoder<StakingParameters> = (value, path) => {
  const d = paramsSpec(value, path);
  const p = defaultStakingParameters();
  p.thresholds = new Map(d.thresholds ?? []);
  p.debondingInterval = d.debonding_interval ?? 0n;
  p.rewardSchedule = d.reward_schedule ?? [];
  p.signingRewardThresholdNumerator = d.signing_reward_threshold_numerator ?? 0n;
  p.signingRewardThresholdDenominator = d.signing_reward_threshold_denominator ?? 0n;
  if (d.commission_schedule_rules) p.commissionScheduleRules = d.commission_schedule_rules;
  p.slashing = new Map(d.slashing ?? []);
  p.gasCosts = Object.freeze(Object.fromEntries(d.gas_costs ?? []));
  p.minDelegation = d.min_delegation ?? 0n;
  p.minTransfer = d.min_transfer ?? 0n;
  p.minTransactBalance = d.min_transact_balance ?? 0n;
  p.disableTransfers = d.disable_transfers ?? false;
  p.disableDelegation = d.disable_delegation ?? false;
  p.undisableTransfersFrom = new Set(
    (d.undisable_transfers_from ?? []).filter(([, v]) => v).map(([k]) => hexOf(k)),
  );
  p.allowEscrowMessages = d.allow_escrow_messages ?? false;
  p.maxAllowances = d.max_allowances ?? 0;
  p.feeSplitWeightPropose = d.fee_split_weight_propose ?? 0n;
  p.feeSplitWeightVote = d.fee_split_weight_vote ?? 0n;
  p.feeSplitWeightNextPropose = d.fee_split_weight_next_propose ?? 0n;
  p.rewardFactorEpochSigned = d.reward_factor_epoch_signed ?? 0n;
  p.rewardFactorBlockProposed = d.reward_factor_block_proposed ?? 0n;
  p.debugBypassStake = d.debug_bypass_stake ?? false;
  if (d.token_symbol !== undefined) p.tokenSymbol = d.token_symbol;
  if (d.token_value_exponent !== undefined) p.tokenValueExponent = d.token_value_exponent;
  return p;
};
