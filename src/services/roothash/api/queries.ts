/**
 * The roothash query backend (`oasis-core.RootHash`) over a `StateReader`, in oasis-core's shapes:
 * GetGenesisBlock, GetLatestBlock, GetRuntimeState, GetLastRoundResults, GetRoundRoots,
 * GetPastRoundRoots, GetIncomingMessageQueueMeta, GetIncomingMessageQueue, StateToGenesis,
 * ConsensusParameters. Unknown runtimes answer `roothash`/2 (not found), except the incoming queue
 * queries, which (as in oasis-core) answer an empty queue.
 */
import type { StateReader } from '../../../state/api.ts';
import { RoothashStateReader } from '../state.ts';
import { blockCodec } from './block.ts';
import { RoothashErrors } from './errors.ts';
import { type RoothashGenesis, roothashGenesisCodec } from './genesis.ts';
import { incomingMessageCodec, incomingMessageQueueMetaCodec } from './incoming.ts';
import { roothashParametersCodec } from './params.ts';
import type { RuntimeState } from './runtime_state.ts';
import { roundResultsCodec, runtimeStateCodec } from './runtime_state.ts';

type Obj = Record<string, unknown>;

function stateOf(state: StateReader, runtimeId: Uint8Array): RuntimeState {
  const rs = new RoothashStateReader(state).runtimeState(runtimeId);
  if (rs === undefined) throw RoothashErrors.notFound();
  return rs;
}

/** The roothash query methods, named as oasis-core's gRPC methods (requests carry `runtime_id`). */
export const RoothashQueries = Object.freeze({
  /** True when the runtime has roothash state (was registered and started). */
  hasRuntime: (state: StateReader, runtimeId: Uint8Array): boolean =>
    new RoothashStateReader(state).runtimeState(runtimeId) !== undefined,
  /** `GetGenesisBlock {runtime_id, height}`. */
  getGenesisBlock: (state: StateReader, runtimeId: Uint8Array): Obj =>
    blockCodec.encode(stateOf(state, runtimeId).genesis_block) as Obj,
  /** `GetLatestBlock {runtime_id, height}`. */
  getLatestBlock: (state: StateReader, runtimeId: Uint8Array): Obj =>
    blockCodec.encode(stateOf(state, runtimeId).last_block) as Obj,
  /** `GetRuntimeState {runtime_id, height}`. */
  getRuntimeState: (state: StateReader, runtimeId: Uint8Array): Obj =>
    runtimeStateCodec.encode(stateOf(state, runtimeId)) as Obj,
  /** `GetLastRoundResults {runtime_id, height}` (empty results before any normal round). */
  getLastRoundResults(state: StateReader, runtimeId: Uint8Array): Obj {
    stateOf(state, runtimeId);
    const r = new RoothashStateReader(state).lastRoundResults(runtimeId);
    return roundResultsCodec.encode(
      r ?? { messages: [], good_compute_entities: [], bad_compute_entities: [] },
    ) as Obj;
  },
  /** `GetRoundRoots {runtime_id, height, round}`: `[state_root, io_root]`, or null when not kept. */
  getRoundRoots: (
    state: StateReader,
    runtimeId: Uint8Array,
    round: bigint,
  ): [Uint8Array, Uint8Array] | null => new RoothashStateReader(state).roundRoots(runtimeId, round) ?? null,
  /** `GetPastRoundRoots {runtime_id, height}`: round → `[state_root, io_root]`. */
  getPastRoundRoots: (state: StateReader, runtimeId: Uint8Array): Map<bigint, [Uint8Array, Uint8Array]> =>
    new Map(new RoothashStateReader(state).pastRoundRoots(runtimeId)),
  /** `GetIncomingMessageQueueMeta {runtime_id, height}`: `{size?, next_sequence_number?}`. */
  getIncomingMessageQueueMeta: (state: StateReader, runtimeId: Uint8Array): Obj =>
    incomingMessageQueueMetaCodec.encode(
      new RoothashStateReader(state).incomingMessageQueueMeta(runtimeId),
    ) as Obj,
  /**
   * `GetIncomingMessageQueue {runtime_id, height, offset?, limit?}`: queued messages from id `offset`
   * in sequence order, at most `limit` of them (0: all).
   */
  getIncomingMessageQueue: (
    state: StateReader,
    runtimeId: Uint8Array,
    offset: bigint,
    limit: number,
  ): Obj[] =>
    new RoothashStateReader(state)
      .incomingMessages(runtimeId, limit === 0 ? undefined : limit, offset)
      .map((m) => incomingMessageCodec.encode(m) as Obj),
  /**
   * `StateToGenesis {height}`: the parameters and, per runtime, the latest block's round and state root
   * with the last round's message results — where a chain restarted from the dump resumes.
   */
  stateToGenesis(state: StateReader): Obj {
    const reader = new RoothashStateReader(state);
    const runtimeStates = new Map<
      Uint8Array,
      RoothashGenesis['runtime_states'] extends Map<Uint8Array, infer V> ? V : never
    >();
    for (const rs of reader.runtimeStates()) {
      const h = rs.last_block.header;
      const results = reader.lastRoundResults(rs.runtime.id);
      runtimeStates.set(rs.runtime.id, {
        state_root: h.state_root,
        round: h.round,
        message_results: results?.messages ?? [],
      });
    }
    return roothashGenesisCodec.encode({ params: reader.parameters(), runtime_states: runtimeStates }) as Obj;
  },
  /** `ConsensusParameters {height}`. */
  consensusParameters: (state: StateReader): Obj =>
    roothashParametersCodec.encode(new RoothashStateReader(state).parameters()) as Obj,
});
