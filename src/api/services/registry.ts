/** `oasis-core.Registry` and `oasis-core.Scheduler`: descriptors, statuses, validators and committees. */
import { bool, bytes, optional, struct, uint } from '../../codec/schema.ts';
import { RegistryQueries as R } from '../../services/registry/api/queries.ts';
import { SchedulerQueries as S } from '../../services/scheduler/api/queries.ts';
import type { StateReader } from '../../state/api.ts';
import type { UnaryMethod } from '../method.ts';
import { idQuery, type StateByHeight, stateMethod, structQueryMethod } from '../queries.ts';

const REGISTRY = 'oasis-core.Registry';
const SCHEDULER = 'oasis-core.Scheduler';
const addressQuery = struct({ height: uint, address: bytes() });
const runtimeIdQuery = struct({ height: uint, id: bytes(32), include_suspended: optional(bool) });
const runtimesQuery = struct({ height: uint, include_suspended: optional(bool) });
const committeesQuery = struct({ height: uint, runtime_id: bytes(32) });

/** The Registry methods over committed state. */
export function registryMethods(states: StateByHeight): UnaryMethod[] {
  const byHeight = (name: string, fn: (s: StateReader) => unknown) => stateMethod(REGISTRY, name, states, fn);
  const byId = (name: string, fn: (s: StateReader, id: Uint8Array) => unknown) =>
    structQueryMethod(REGISTRY, name, states, idQuery, (s, q) => fn(s, q.id));
  return [
    byHeight('GetEntities', R.getEntities),
    byHeight('GetNodes', R.getNodes),
    byHeight('ConsensusParameters', R.consensusParameters),
    byHeight('StateToGenesis', R.stateToGenesis),
    byId('GetEntity', R.getEntity),
    byId('GetNode', R.getNode),
    byId('GetNodeStatus', R.getNodeStatus),
    structQueryMethod(REGISTRY, 'GetNodeByConsensusAddress', states, addressQuery, (s, q) =>
      R.getNodeByConsensusAddress(s, q.address),
    ),
    structQueryMethod(REGISTRY, 'GetRuntime', states, runtimeIdQuery, (s, q) =>
      R.getRuntime(s, q.id, q.include_suspended ?? false),
    ),
    structQueryMethod(REGISTRY, 'GetRuntimes', states, runtimesQuery, (s, q) =>
      R.getRuntimes(s, q.include_suspended ?? false),
    ),
  ];
}

/** The Scheduler methods over committed state. */
export function schedulerMethods(states: StateByHeight): UnaryMethod[] {
  return [
    stateMethod(SCHEDULER, 'GetValidators', states, S.getValidators),
    stateMethod(SCHEDULER, 'ConsensusParameters', states, S.consensusParameters),
    stateMethod(SCHEDULER, 'StateToGenesis', states, S.stateToGenesis),
    structQueryMethod(SCHEDULER, 'GetCommittees', states, committeesQuery, (s, q) =>
      S.getCommittees(s, q.runtime_id),
    ),
  ];
}
