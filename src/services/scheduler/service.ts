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
import { SCHEDULER_MODULE } from './api/errors.ts';
import { electedEvent, SchedulerEventKinds } from './api/events.ts';
import type { SchedulerGenesis } from './api/genesis.ts';
import { SchedulerMethods } from './api/methods.ts';
import type { SchedulerParameters } from './api/params.ts';
import { electCommittees } from './committees.ts';
import { ElectionView } from './eligibility.ts';
import { loadSchedulerGenesis } from './genesis.ts';
import { checkSchedulerInvariants } from './sanity.ts';
import { SchedulerState } from './state.ts';
import { diffValidators, electValidatorSet } from './validators.ts';

/** oasis-core's app name. */
export const SCHEDULER_APP_NAME = '200_scheduler';

export type { SchedulerGenesis } from './api/genesis.ts';

/** The scheduler consensus service. */
export class SchedulerService implements ConsensusService {
  readonly name = SCHEDULER_APP_NAME;
  readonly module = SCHEDULER_MODULE;
  readonly priority = 0n;
  readonly methods: readonly string[] = SchedulerMethods;

  /**
   * Stores the parameters and elects the genesis validator set (registry and staking loaded first);
   * returns it for the engine to start with.
   */
  initChain(ctx: ServiceContext, genesis: GenesisSections): ValidatorUpdate[] {
    const g = genesis.scheduler as SchedulerGenesis | undefined;
    if (g === undefined) throw new Error('scheduler: genesis has no scheduler section');
    return loadSchedulerGenesis(ctx, g);
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
    ctx.emit(SCHEDULER_MODULE, SchedulerEventKinds.elected, electedEvent());

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
