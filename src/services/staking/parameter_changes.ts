/**
 * Staking's side of governance parameter changes (`go/staking/api.ConsensusParameterChanges`): the
 * fields a proposal may change, checked with the same rules as genesis. A raised `min_commission_rate`
 * lifts every commission rate and bound below it (oasis-core's migration), so no schedule breaks the rule.
 */

import type { StateWriter } from '../../state/api.ts';
import { currentEpochState } from '../beacon/state.ts';
import { type ParameterChangeHandler, parameterChangeHandler, sameNames } from '../mux/parameter_changes.ts';
import { STAKING_MODULE } from './api/errors.ts';
import { type StakingParameters, stakingParametersCodec } from './api/params.ts';
import { pruneAndValidate } from './commission.ts';
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
  migrate: raiseCommissionsToMinimum,
});

/** Lifts rates and bounds below the new minimum to it, then prunes and re-validates each changed schedule. */
function raiseCommissionsToMinimum(state: StateWriter, next: StakingParameters): void {
  const min = next.commissionScheduleRules.minCommissionRate;
  const st = new StakingState(state);
  if (min === st.parameters().commissionScheduleRules.minCommissionRate) return;
  const epoch = currentEpochState(state)?.epoch ?? 0n;
  for (const address of st.commissionScheduleAddresses()) {
    const account = st.account(address);
    const cs = account.escrow.commissionSchedule;
    let updated = false;
    for (const b of cs.bounds) {
      if (b.rateMin < min) [b.rateMin, updated] = [min, true];
      if (b.rateMax < min) [b.rateMax, updated] = [min, true];
    }
    for (const r of cs.rates) if (r.rate < min) [r.rate, updated] = [min, true];
    if (!updated) continue;
    pruneAndValidate(cs, next.commissionScheduleRules, epoch);
    st.setAccount(address, account);
  }
}
