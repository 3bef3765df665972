/**
 * The wire shape of the genesis `staking` section (oasis-core `staking.Genesis`), as a two-way codec so the
 * genesis JSON file and the hashed CBOR agree field for field. Semantics (validation, loading) belong to
 * the staking service, which decodes the CBOR form of this section.
 */

import {
  arrayCodec,
  boolCodec,
  type Codec,
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
  uintCodec,
} from '../../../codec/typed.ts';
import { addressCodec } from '../../../crypto/address.ts';
import { SLASH_REASON_NAMES, THRESHOLD_KIND_NAMES } from './names.ts';

const thresholdKind = enumCodec(THRESHOLD_KIND_NAMES);

const q = quantityField;
const n = u64Field;
const flag = flagField;

const sharePool = structCodec({ balance: q(), total_shares: q() });
const rateStep = structCodec({ start: n(), rate: q() });
const boundStep = structCodec({ start: n(), rate_min: q(), rate_max: q() });
const commissionSchedule = structCodec({
  rates: field(arrayCodec(rateStep), true),
  bounds: field(arrayCodec(boundStep), true),
});
const threshold = structCodec({
  global: field(optionalCodec(thresholdKind), true),
  const: field(optionalCodec(quantityCodec), true),
});
const stakeAccumulator = structCodec({ claims: field(mapCodec(textCodec, arrayCodec(threshold)), true) });

/** Wire shape of a staking account. */
export const accountShape = structCodec({
  general: field(
    optionalCodec(
      structCodec({
        balance: q(),
        nonce: n(),
        allowances: field(mapCodec(addressCodec, quantityCodec), true),
      }),
    ),
    true,
  ),
  escrow: field(
    optionalCodec(
      structCodec({
        active: field(optionalCodec(sharePool), true),
        debonding: field(optionalCodec(sharePool), true),
        commission_schedule: field(optionalCodec(commissionSchedule), true),
        stake_accumulator: field(optionalCodec(stakeAccumulator), true),
      }),
    ),
    true,
  ),
});

const delegation = structCodec({ shares: q(false) });
const debondingDelegation = structCodec({ shares: q(false), debond_end: n(false) });

/** Wire shape of staking consensus parameters. */
export const stakingParamsShape = structCodec({
  thresholds: field(mapCodec(thresholdKind, quantityCodec), true),
  debonding_interval: n(),
  reward_schedule: field(arrayCodec(structCodec({ until: n(false), scale: q(false) })), true),
  signing_reward_threshold_numerator: n(),
  signing_reward_threshold_denominator: n(),
  commission_schedule_rules: field(
    structCodec({
      rate_change_interval: n(),
      rate_bound_lead: n(),
      max_rate_steps: n(),
      max_bound_steps: n(),
      min_commission_rate: q(false),
    }),
  ),
  slashing: field(
    mapCodec(enumCodec(SLASH_REASON_NAMES), structCodec({ amount: q(false), freeze_interval: n(false) })),
    true,
  ),
  gas_costs: field(mapCodec(textCodec, u64Codec), true),
  min_delegation: q(false),
  min_transfer: q(false),
  min_transact_balance: q(false),
  disable_transfers: flag(),
  disable_delegation: flag(),
  undisable_transfers_from: field(mapCodec(addressCodec, boolCodec), true),
  allow_escrow_messages: flag(),
  max_allowances: n(),
  fee_split_weight_propose: q(false),
  fee_split_weight_vote: q(false),
  fee_split_weight_next_propose: q(false),
  reward_factor_epoch_signed: q(false),
  reward_factor_block_proposed: q(false),
  debug_bypass_stake: flag(),
});

/** Wire shape of the genesis `staking` section. */
export const stakingSectionCodec = structCodec({
  params: field(stakingParamsShape),
  token_symbol: field(textCodec),
  token_value_exponent: field(uintCodec),
  total_supply: q(false),
  common_pool: q(false),
  last_block_fees: q(false),
  governance_deposits: q(false),
  ledger: field(mapCodec(addressCodec, accountShape), true),
  delegations: field(mapCodec(addressCodec, mapCodec(addressCodec, delegation)), true),
  debonding_delegations: field(
    mapCodec(addressCodec, mapCodec(addressCodec, arrayCodec(debondingDelegation))),
    true,
  ),
});

/** The typed form of the staking section's wire shape. */
export type StakingSection = typeof stakingSectionCodec extends Codec<infer T> ? T : never;
