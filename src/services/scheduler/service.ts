/**
 * The scheduler consensus service (`200_scheduler`, no transactions). At genesis it elects the first
 * validator set from the registry's validator nodes, stores it as current and returns it to the mux (the
 * engine's genesis validators). At every epoch change (BeginBlock, after the registry processed expiries)
 * it elects the next validator set into the pending slot, elects executor committees for every active
 * runtime and pays election rewards; a slash earlier in the same BeginBlock triggers the same elections
 * without rewards. The EndBlock of that block applies the pending set and returns the difference as
 * validator updates.
 */
import { compareBytes, toHex } from '../../codec/bytes.ts';
import type { CborValue } from '../../codec/cbor.ts';
import type { ValidatorUpdate } from '../../consensus/api/application.ts';
import { addressFromPublicKey } from '../../crypto/address.ts';
import type { StateReader } from '../../state/api.ts';
import { getBaseEpoch, getBeacon } from '../beacon/api/queries.ts';
import type { ServiceContext } from '../mux/context.ts';
import type { ConsensusService, GenesisSections } from '../mux/service.ts';
import { STAKING_MODULE } from '../staking/api/errors.ts';
import { StakingEventKinds } from '../staking/api/events.ts';
import { addRewards } from '../staking/rewards.ts';
import { StakingState } from '../staking/state.ts';
import type { SchedulerGenesis } from './api/genesis.ts';
import {
  CommitteeKind,
  SCHEDULER_MODULE,
  type SchedulerParameters,
  validateSchedulerParameters,
} from './api/types.ts';
import { electCommittees } from './committees.ts';
import { votingPower } from './election.ts';
import { ElectionView } from './eligibility.ts';
import { checkSchedulerInvariants } from './sanity.ts';
import { SchedulerState } from './state.ts';
import { diffValidators, electValidatorSet, validatorUpdatesOf } from './validators.ts';

/** oasis-core's app name. */
export const SCHEDULER_APP_NAME = '200_scheduler';

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

export type { SchedulerGenesis } from './api/genesis.ts';

/** The scheduler consensus service. */
export class SchedulerService implements ConsensusService {
  readonly name = SCHEDULER_APP_NAME;
  readonly module = SCHEDULER_MODULE;
  readonly priority = 0n;
  readonly methods: readonly string[] = [];

  /**
   * Stores the parameters and elects the genesis validator set (registry and staking loaded first);
   * returns it for the engine to start with.
   */
  initChain(ctx: ServiceContext, genesis: GenesisSections): ValidatorUpdate[] {
    const g = genesis.scheduler as SchedulerGenesis | undefined;
    if (g === undefined) throw new Error('scheduler: genesis has no scheduler section');
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

  /**
   * Elects at an epoch change (with rewards), or mid-epoch when staking slashed someone earlier in this
   * BeginBlock (without rewards, so a slashed validator leaves the set at once); never in the base epoch.
   */
  beginBlock(ctx: ServiceContext): void {
    const epochChanged = ctx.epochChanged();
    const epoch = ctx.currentEpoch();
    const slashed = ctx.events.some(
      (e) => e.module === STAKING_MODULE && e.kind === StakingEventKinds.takeEscrow,
    );
    if (!epochChanged && (!slashed || epoch === getBaseEpoch(ctx.state))) return;
    const st = new SchedulerState(ctx.state);
    const params = st.parameters();
    const beacon = getBeacon(ctx.state);
    const view = new ElectionView(ctx.state, epoch, params.debug_bypass_stake);
    const next = electValidatorSet(view, params, beacon);
    if (next !== undefined) st.setPendingValidators(next);
    const validators = next ?? st.currentValidators();
    const validatorNodes = new Set(validators.map(([, v]) => toHex(v.id)));

    const election = electCommittees(view, beacon, validatorNodes);
    for (const c of [...st.committees()]) st.dropCommittee(c.kind, c.runtime_id);
    for (const c of election.committees) st.putCommittee(c);
    ctx.emit(SCHEDULER_MODULE, 'elected', { kinds: [CommitteeKind.computeExecutor] });

    if (epochChanged && next !== undefined)
      this.#reward(ctx, params, epoch, next, election.rewardableEntities);
  }

  #reward(
    ctx: ServiceContext,
    params: SchedulerParameters,
    epoch: bigint,
    validators: ReturnType<SchedulerState['currentValidators']>,
    rewardable: Uint8Array[],
  ): void {
    if (params.reward_factor_epoch_election_any === 0n) return;
    const entities = new Map<string, Uint8Array>();
    for (const [, v] of validators) entities.set(toHex(v.entity_id), v.entity_id);
    for (const id of rewardable) entities.set(toHex(id), id);
    const addresses = [...entities.values()].map(addressFromPublicKey).sort(compareBytes);
    addRewards(ctx, new StakingState(ctx.state), epoch, params.reward_factor_epoch_election_any, addresses);
  }

  executeTx(_ctx: ServiceContext, method: string, _body: CborValue | undefined): void {
    throw new Error(`scheduler: no transactions (${method})`);
  }

  sanityCheck(state: StateReader): void {
    checkSchedulerInvariants(state);
  }

  /** Applies a pending validator set: stores it as current and returns the updates. */
  endBlock(ctx: ServiceContext): ValidatorUpdate[] | undefined {
    const st = new SchedulerState(ctx.state);
    const pending = st.pendingValidators();
    if (pending === undefined) return undefined;
    const updates = diffValidators(st.currentValidators(), pending);
    st.setPendingValidators(undefined);
    st.setCurrentValidators(pending);
    return updates;
  }
}
