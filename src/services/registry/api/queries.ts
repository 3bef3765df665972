/**
 * The registry query backend (`oasis-core.Registry`): each call reads a `StateReader` at the requested
 * height and answers in oasis-core's CBOR-ready shapes, so the same functions serve the in-process API
 * and gRPC. `getEvents` turns a block's recorded events into oasis-core's `registry.Event` list.
 */
import type { AppEvent } from '../../../consensus/api/application.ts';
import type { StateReader } from '../../../state/api.ts';
import { registryStateToGenesis } from '../genesis.ts';
import { RegistryStateReader } from '../state.ts';
import { entityCodec, REGISTRY_MODULE } from './entity.ts';
import { RegistryErrors } from './errors.ts';
import { RegistryEventKinds } from './events.ts';
import { registryGenesisCodec } from './genesis.ts';
import { nodeCodec } from './node.ts';
import { registryParametersCodec } from './params.ts';
import { runtimeCodec } from './runtime.ts';
import { nodeStatusCodec } from './status.ts';

type Obj = Record<string, unknown>;
const reader = (state: StateReader) => new RegistryStateReader(state);

/** Kinds reported by GetEvents (the node-list marker is internal to watchers, as in oasis-core). */
const REPORTED_KINDS = new Set<string>([
  RegistryEventKinds.entity,
  RegistryEventKinds.node,
  RegistryEventKinds.runtimeStarted,
  RegistryEventKinds.runtimeSuspended,
  RegistryEventKinds.nodeUnfrozen,
]);

/** The registry query methods, named as oasis-core's gRPC methods. */
export const RegistryQueries = Object.freeze({
  /** `GetEntity {height, id}`. */
  getEntity(state: StateReader, id: Uint8Array): Obj {
    return entityCodec.encode(reader(state).requireEntity(id));
  },
  /** `GetEntities`. */
  getEntities: (state: StateReader): Obj[] => [...reader(state).entities()].map((e) => entityCodec.encode(e)),
  /** `GetNode {height, id}`. */
  getNode: (state: StateReader, id: Uint8Array): Obj => nodeCodec.encode(reader(state).requireNode(id)),
  /** `GetNodes`, sorted by node ID. */
  getNodes: (state: StateReader): Obj[] =>
    reader(state)
      .nodes()
      .map((n) => nodeCodec.encode(n)),
  /** `GetNodeByConsensusAddress {height, address}` (the 20-byte CometBFT address). */
  getNodeByConsensusAddress(state: StateReader, address: Uint8Array): Obj {
    const node = reader(state).nodeByConsensusAddress(address);
    if (node === undefined) throw RegistryErrors.noSuchNode();
    return nodeCodec.encode(node);
  },
  /** `GetNodeStatus {height, id}`. */
  getNodeStatus: (state: StateReader, id: Uint8Array) =>
    nodeStatusCodec.encode(reader(state).nodeStatus(id)) as Obj,
  /** `GetRuntime {height, id, include_suspended}`. */
  getRuntime(state: StateReader, id: Uint8Array, includeSuspended = false): Obj {
    const r = reader(state);
    const rt = includeSuspended ? r.anyRuntime(id) : r.runtime(id);
    if (rt === undefined) throw RegistryErrors.noSuchRuntime();
    return runtimeCodec.encode(rt) as Obj;
  },
  /** `GetRuntimes {height, include_suspended}`, sorted by runtime ID. */
  getRuntimes(state: StateReader, includeSuspended = false): Obj[] {
    const r = reader(state);
    const list = includeSuspended ? [...r.runtimes(), ...r.suspendedRuntimes()] : r.runtimes();
    return list.sort((a, b) => Buffer.compare(a.id, b.id)).map((rt) => runtimeCodec.encode(rt) as Obj);
  },
  /** `ConsensusParameters`. */
  consensusParameters: (state: StateReader) =>
    registryParametersCodec.encode(reader(state).parameters()) as Obj,
  /** `StateToGenesis`. */
  stateToGenesis: (state: StateReader) =>
    registryGenesisCodec.encode(registryStateToGenesis(reader(state))) as Obj,
  /** `GetEvents {height}`: the registry events of a block, as `{height, tx_hash?, <kind>: value}`. */
  getEvents(height: number, events: readonly AppEvent[]): Obj[] {
    return events
      .filter((e) => e.module === REGISTRY_MODULE && REPORTED_KINDS.has(e.kind))
      .map((e) => {
        const out: Obj = { height, [e.kind]: e.value };
        if (e.txHash !== undefined) out.tx_hash = e.txHash;
        return out;
      });
  },
});
