/**
 * `oasis-core.RootHash`: runtime blocks, states, round results and roots, and incoming message queues
 * over committed state.
 */
import { bytes, optional, struct, u64, uint } from '../../codec/schema.ts';
import { RoothashQueries as Q } from '../../services/roothash/api/queries.ts';
import type { StateReader } from '../../state/api.ts';
import type { UnaryMethod } from '../method.ts';
import { type StateByHeight, stateMethod, structQueryMethod } from '../queries.ts';

const SERVICE = 'oasis-core.RootHash';
/** `{runtime_id, height}`, exactly (roothash requests carry no other fields). */
const runtimeHeightQuery = struct({ height: uint, runtime_id: bytes(32) });
/** `{runtime_id, height, round}` (GetRoundRoots). */
const roundQuery = struct({ height: uint, runtime_id: bytes(32), round: u64 });
/** `{runtime_id, height, offset?, limit?}` (GetIncomingMessageQueue, `InMessageQueueRequest`). */
const inMessageQueueQuery = struct({
  height: uint,
  runtime_id: bytes(32),
  offset: optional(u64),
  limit: optional(uint),
});

/** The RootHash query methods over committed state (all public, so also served over gRPC-web). */
export function roothashMethods(states: StateByHeight): UnaryMethod[] {
  const byRuntime = (name: string, fn: (s: StateReader, runtimeId: Uint8Array) => unknown) =>
    structQueryMethod(SERVICE, name, states, runtimeHeightQuery, (s, q) => fn(s, q.runtime_id));
  return [
    byRuntime('GetGenesisBlock', Q.getGenesisBlock),
    byRuntime('GetLatestBlock', Q.getLatestBlock),
    byRuntime('GetRuntimeState', Q.getRuntimeState),
    byRuntime('GetLastRoundResults', Q.getLastRoundResults),
    byRuntime('GetPastRoundRoots', Q.getPastRoundRoots),
    byRuntime('GetIncomingMessageQueueMeta', Q.getIncomingMessageQueueMeta),
    structQueryMethod(SERVICE, 'GetIncomingMessageQueue', states, inMessageQueueQuery, (s, q) =>
      Q.getIncomingMessageQueue(s, q.runtime_id, q.offset ?? 0n, q.limit ?? 0),
    ),
    structQueryMethod(SERVICE, 'GetRoundRoots', states, roundQuery, (s, q) =>
      Q.getRoundRoots(s, q.runtime_id, q.round),
    ),
    stateMethod(SERVICE, 'ConsensusParameters', states, Q.consensusParameters),
    stateMethod(SERVICE, 'StateToGenesis', states, Q.stateToGenesis),
  ];
}
