/**
 * Staking consensus parameters in oasis-core's CBOR shape (`ConsensusParameters`, `go/staking/api/api.go`),
 * with gas operation names and the reward/fee constants that go with them.
 */
import {
  arrayCodec,
  boolCodec,
  enumCodec,
  field,
  flagField,
  mapCodec,
  optionalCodec,
  quantityCodec,
  quantityField,
  structCodec,
  textCodec,
  u64Codec,
  u64Field,
  viewCodec,
} from '../../../codec/typed.ts';
import { addressCodec } from '../../../crypto/address.ts';
import { CodecError } from '../../../errors.ts';
import { type GasCosts, gasCostsCodec } from '../../mux/gas.ts';
import { type ThresholdKindValue, thresholdKindCodec } from './account.ts';
import { type AddressHex, addressOfHex, compareHex, hexOf } from './address.ts';
import { type CommissionScheduleRules, commissionRulesCodec } from './commission.ts';
import { SLASH_REASON_NAMES } from './names.ts';

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

const q = quantityField;
const n = u64Field;

/** Wire shape of staking consensus parameters (omitempty as oasis-core's struct tags). */
export const stakingParametersWireCodec = structCodec({
  thresholds: field(mapCodec(thresholdKindCodec, quantityCodec), true),
  debonding_interval: n(),
  reward_schedule: field(arrayCodec(structCodec({ until: n(false), scale: q(false) }), 10_000), true),
  signing_reward_threshold_numerator: n(),
  signing_reward_threshold_denominator: n(),
  commission_schedule_rules: field(commissionRulesCodec.wire),
  slashing: field(
    mapCodec(enumCodec(SLASH_REASON_NAMES), structCodec({ amount: q(false), freeze_interval: n(false) })),
    true,
  ),
  gas_costs: field(gasCostsCodec, true),
  min_delegation: q(false),
  min_transfer: q(false),
  min_transact_balance: q(false),
  disable_transfers: flagField(),
  disable_delegation: flagField(),
  undisable_transfers_from: field(mapCodec(addressCodec, boolCodec), true),
  allow_escrow_messages: flagField(),
  max_allowances: n(),
  fee_split_weight_propose: q(false),
  fee_split_weight_vote: q(false),
  fee_split_weight_next_propose: q(false),
  reward_factor_epoch_signed: q(false),
  reward_factor_block_proposed: q(false),
  debug_bypass_stake: flagField(),
  token_symbol: field(optionalCodec(textCodec), true),
  token_value_exponent: field(optionalCodec(u64Codec), true),
});

/** The wire form of staking parameters, typed. */
export type StakingParametersWire = ReturnType<typeof stakingParametersWireCodec.decode>;

function u32(v: bigint, path: string): number {
  if (v > 0xffff_ffffn) throw new CodecError(path, 'expected a 32-bit unsigned integer');
  return Number(v);
}

function parametersFromWire(w: StakingParametersWire, path: string): StakingParameters {
  const p = defaultStakingParameters();
  p.thresholds = new Map([...w.thresholds].map(([k, v]) => [k as ThresholdKindValue, v]));
  p.debondingInterval = w.debonding_interval;
  p.rewardSchedule = w.reward_schedule;
  p.signingRewardThresholdNumerator = w.signing_reward_threshold_numerator;
  p.signingRewardThresholdDenominator = w.signing_reward_threshold_denominator;
  p.commissionScheduleRules = commissionRulesCodec.fromWire(w.commission_schedule_rules, path);
  p.slashing = new Map(
    [...w.slashing].map(([k, s]) => [k, { amount: s.amount, freezeInterval: s.freeze_interval }]),
  );
  p.gasCosts = Object.freeze(Object.fromEntries(w.gas_costs));
  p.minDelegation = w.min_delegation;
  p.minTransfer = w.min_transfer;
  p.minTransactBalance = w.min_transact_balance;
  p.disableTransfers = w.disable_transfers;
  p.disableDelegation = w.disable_delegation;
  p.undisableTransfersFrom = new Set(
    [...w.undisable_transfers_from].filter(([, v]) => v).map(([k]) => hexOf(k)),
  );
  p.allowEscrowMessages = w.allow_escrow_messages;
  p.maxAllowances = u32(w.max_allowances, `${path}.max_allowances`);
  p.feeSplitWeightPropose = w.fee_split_weight_propose;
  p.feeSplitWeightVote = w.fee_split_weight_vote;
  p.feeSplitWeightNextPropose = w.fee_split_weight_next_propose;
  p.rewardFactorEpochSigned = w.reward_factor_epoch_signed;
  p.rewardFactorBlockProposed = w.reward_factor_block_proposed;
  p.debugBypassStake = w.debug_bypass_stake;
  if (w.token_symbol !== undefined) p.tokenSymbol = w.token_symbol;
  if (w.token_value_exponent !== undefined)
    p.tokenValueExponent = u32(w.token_value_exponent, `${path}.token_value_exponent`);
  return p;
}

function parametersToWire(p: StakingParameters): StakingParametersWire {
  return {
    thresholds: new Map([...p.thresholds].sort((a, b) => a[0] - b[0])),
    debonding_interval: p.debondingInterval,
    reward_schedule: p.rewardSchedule.map((s) => ({ until: s.until, scale: s.scale })),
    signing_reward_threshold_numerator: p.signingRewardThresholdNumerator,
    signing_reward_threshold_denominator: p.signingRewardThresholdDenominator,
    commission_schedule_rules: commissionRulesCodec.toWire(p.commissionScheduleRules),
    slashing: new Map(
      [...p.slashing]
        .sort((a, b) => a[0] - b[0])
        .map(([k, s]) => [k, { amount: s.amount, freeze_interval: s.freezeInterval }]),
    ),
    gas_costs: new Map(
      Object.keys(p.gasCosts)
        .sort()
        .map((k) => [k, p.gasCosts[k]!]),
    ),
    min_delegation: p.minDelegation,
    min_transfer: p.minTransfer,
    min_transact_balance: p.minTransactBalance,
    disable_transfers: p.disableTransfers,
    disable_delegation: p.disableDelegation,
    undisable_transfers_from: new Map(
      [...p.undisableTransfersFrom].sort(compareHex).map((h) => [addressOfHex(h), true]),
    ),
    allow_escrow_messages: p.allowEscrowMessages,
    max_allowances: BigInt(p.maxAllowances),
    fee_split_weight_propose: p.feeSplitWeightPropose,
    fee_split_weight_vote: p.feeSplitWeightVote,
    fee_split_weight_next_propose: p.feeSplitWeightNextPropose,
    reward_factor_epoch_signed: p.rewardFactorEpochSigned,
    reward_factor_block_proposed: p.rewardFactorBlockProposed,
    debug_bypass_stake: p.debugBypassStake,
    token_symbol: p.tokenSymbol === '' ? undefined : p.tokenSymbol,
    token_value_exponent:
      p.tokenValueExponent === undefined || p.tokenValueExponent === 0
        ? undefined
        : BigInt(p.tokenValueExponent),
  };
}

/** Staking consensus parameters (CBOR and JSON as oasis-core's `ConsensusParameters`). */
export const stakingParametersCodec = viewCodec(
  stakingParametersWireCodec,
  parametersFromWire,
  parametersToWire,
);
