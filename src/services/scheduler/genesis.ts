/**
 * Loads the scheduler genesis section (`api/genesis.ts`): checks the parameters and that the whole supply,
 * staked, cannot overflow the engine's voting power, stores them, and elects the first validator set from
 * the registry's validator nodes (the engine's genesis validators).
 */
import type { ValidatorUpdate } from '../../consensus/api/application.ts';
import { getBeacon } from '../beacon/api/queries.ts';
import type { ServiceContext } from '../mux/context.ts';
import { StakingState } from '../staking/state.ts';
import type { SchedulerGenesis } from './api/genesis.ts';
import { type SchedulerParameters, validateSchedulerParameters } from './api/params.ts';
import { votingPower } from './election.ts';
import { ElectionView } from './eligibility.ts';
import { SchedulerState } from './state.ts';
import { electValidatorSet, validatorUpdatesOf } from './validators.ts';

/**
 * CometBFT's cap on the total voting power (int64 max / 8). The engine enforces it on the set; the
 * scheduler refuses a genesis whose whole supply could exceed it (services may not import the engine,
 * hence the copy of the constant).
 */
export const MAX_TOTAL_VOTING_POWER = ((1n << 63n) - 1n) / 8n;

/** Refuses a genesis whose total supply, all staked, would overflow the engine's voting power. */
function checkSupplyPower(ctx: ServiceContext, params: SchedulerParameters): void {
  if (params.debug_bypass_stake) return;
  const supply = new StakingState(ctx.state).totalSupply();
  const power = votingPower(supply, {
    votingPowerDistribution: params.voting_power_distribution === 1 ? 1 : 0,
    debugBypassStake: false,
  });
  if (power > MAX_TOTAL_VOTING_POWER) {
    throw new Error(
      `scheduler: total supply power ${power} exceeds the voting power limit ${MAX_TOTAL_VOTING_POWER}`,
    );
  }
}

/** Validates and loads the section into `ctx` (an init context, after the registry's genesis). */
export function loadSchedulerGenesis(ctx: ServiceContext, g: SchedulerGenesis): ValidatorUpdate[] {
  validateSchedulerParameters(g.params);
  checkSupplyPower(ctx, g.params);
  const st = new SchedulerState(ctx.state);
  st.setParameters(g.params);
  const view = new ElectionView(ctx.state, ctx.currentEpoch(), g.params.debug_bypass_stake);
  const set = electValidatorSet(view, g.params, getBeacon(ctx.state));
  if (set === undefined) {
    throw new Error(`scheduler: genesis has fewer than ${g.params.min_validators} electable validators`);
  }
  st.setCurrentValidators(set);
  return validatorUpdatesOf(set);
}
