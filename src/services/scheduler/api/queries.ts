/**
 * The scheduler query backend (`oasis-core.Scheduler`): GetValidators, GetCommittees, ConsensusParameters
 * and StateToGenesis over a `StateReader`, in oasis-core's shapes; plus the genesis validator set as
 * engine updates, which InitChain hands to the consensus engine.
 */
import { bytesEqual } from '../../../codec/bytes.ts';
import type { ValidatorUpdate } from '../../../consensus/api/application.ts';
import type { StateReader } from '../../../state/api.ts';
import { SchedulerStateReader } from '../state.ts';
import { validatorUpdatesOf } from '../validators.ts';
import { committeeCodec, validatorCodec } from './committee.ts';
import { schedulerParametersCodec } from './params.ts';

type Obj = Record<string, unknown>;
const reader = (state: StateReader) => new SchedulerStateReader(state);

/** The scheduler query methods, named as oasis-core's gRPC methods. */
export const SchedulerQueries = Object.freeze({
  /** `GetValidators {height}`: the validator set in effect, ascending by consensus key. */
  getValidators: (state: StateReader): Obj[] =>
    reader(state)
      .currentValidators()
      .map(([, v]) => validatorCodec.encode(v) as Obj),
  /** `GetCommittees {height, runtime_id}`: the runtime's committees this epoch (empty when none formed). */
  getCommittees(state: StateReader, runtimeId: Uint8Array): Obj[] {
    return [...reader(state).committees()]
      .filter((c) => bytesEqual(c.runtime_id, runtimeId))
      .map((c) => committeeCodec.encode(c) as Obj);
  },
  /** Every committee elected this epoch, in key order (what `WatchCommittees` sends after an election). */
  allCommittees: (state: StateReader): Obj[] =>
    [...reader(state).committees()].map((c) => committeeCodec.encode(c) as Obj),
  /** `ConsensusParameters`. */
  consensusParameters: (state: StateReader) =>
    schedulerParametersCodec.encode(reader(state).parameters()) as Obj,
  /** `StateToGenesis`. */
  stateToGenesis: (state: StateReader): Obj => ({
    params: schedulerParametersCodec.encode(reader(state).parameters()),
  }),
  /** The validator set in effect as engine updates (after InitChain: the genesis validators). */
  currentValidatorUpdates: (state: StateReader): ValidatorUpdate[] =>
    validatorUpdatesOf(reader(state).currentValidators()),
});
