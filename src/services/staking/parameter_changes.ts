/**
 * Staking's side of governance parameter changes (`go/staking/api.ConsensusParameterChanges`): the
 * fields a proposal may change, checked with the same rules as genesis.
 */
import { type ParameterChangeHandler, parameterChangeHandler, sameNames } from '../mux/parameter_changes.ts';
import { STAKING_MODULE } from './api/errors.ts';
import { stakingParametersCodec } from './api/params.ts';
import { validateStakingParameters } from './genesis.ts';
import { StakingState } from './state.ts';

/** Applies and validates staking parameter changes. */
export const stakingParameterChanges: ParameterChangeHandler = parameterChangeHandler({
  module: STAKING_MODULE,
  codec: stakingParametersCodec,
  fields: {
    ...sameNames(
      'debonding_interval',
      'reward_schedule',
      'gas_costs',
      'min_delegation',
      'min_transfer',
      'min_transact_balance',
      'disable_transfers',
      'disable_delegation',
      'allow_escrow_messages',
      'max_allowances',
      'fee_split_weight_propose',
      'fee_split_weight_vote',
      'fee_split_weight_next_propose',
      'reward_factor_epoch_signed',
      'reward_factor_block_proposed',
    ),
    min_commission_rate: ['commission_schedule_rules', 'min_commission_rate'],
  },
  read: (state) => new StakingState(state).parameters(),
  validate: validateStakingParameters,
  write: (state, p) => new StakingState(state).setParameters(p),
});
