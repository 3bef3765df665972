/**
 * Typed access to the registry part of consensus state, under oasis-core's prefixes (0x10–0x19, keys
 * hashed with SHA-512/256 as its key formats do): signed entities, signed nodes and their indexes
 * (by entity, by consensus address, sub-key → node), node statuses, runtimes (active and suspended),
 * runtime-by-owner index and parameters. Stored descriptors were verified on the way in, so reads decode
 * them without re-verifying signatures.
 */
import { bytesEqual } from '../../codec/bytes.ts';
import { decodeOwnCanonical, encodeCanonical } from '../../codec/cbor.ts';
import { sha512_256 } from '../../crypto/hash.ts';
import { sha256 } from '../../crypto/merkle.ts';
import { type MultiSigned, multiSignedDecoder, type Signed, signedDecoder } from '../../crypto/signature.ts';
import type { StateReader, StateWriter } from '../../state/api.ts';
import { KeyPrefix, makeKey } from '../../state/keys.ts';
import { type Entity, entityCodec } from './api/entity.ts';
import { RegistryErrors } from './api/errors.ts';
import { type NodeDescriptor, nodeCodec } from './api/node.ts';
import { type RegistryParameters, registryParametersCodec } from './api/params.ts';
import { type Runtime, runtimeCodec } from './api/runtime.ts';
import { emptyNodeStatus, type NodeStatus, nodeStatusCodec } from './api/status.ts';

const EMPTY = new Uint8Array(0);
const h = (b: Uint8Array) => sha512_256(b);
const key = makeKey;

/** CometBFT validator address of a consensus key: SHA-256(key) truncated to 20 bytes. */
export function consensusAddress(consensusKey: Uint8Array): Uint8Array {
  return sha256(consensusKey).slice(0, 20);
}

/** A stored node with its signed envelope. */
export interface StoredNode {
  node: NodeDescriptor;
  signed: MultiSigned;
}

/** Read-only registry state. */
export class RegistryStateReader {
  constructor(readonly state: StateReader) {}

  /** Registry parameters; throws when genesis has not stored them. */
  parameters(): RegistryParameters {
    const v = this.state.get(key(KeyPrefix.registryParameters));
    if (v === undefined) throw new Error('registry: consensus parameters not initialized');
    return registryParametersCodec.decode(decodeOwnCanonical(v), 'params');
  }

  /** The signed entity descriptor of `id`, if registered. */
  signedEntity(id: Uint8Array): Signed | undefined {
    const v = this.state.get(key(KeyPrefix.registryEntity, h(id)));
    return v === undefined ? undefined : signedDecoder(decodeOwnCanonical(v), 'signed_entity');
  }

  /** The entity descriptor of `id`, if registered. */
  entity(id: Uint8Array): Entity | undefined {
    const s = this.signedEntity(id);
    return s === undefined
      ? undefined
      : entityCodec.decode(decodeOwnCanonical(s.untrusted_raw_value), 'entity');
  }

  /** The entity `id`; registry/9 when not registered. */
  requireEntity(id: Uint8Array): Entity {
    const e = this.entity(id);
    if (e === undefined) throw RegistryErrors.noSuchEntity();
    return e;
  }

  /** Every signed entity, in key (hashed id) order. */
  *signedEntities(): Iterable<Signed> {
    for (const [, v] of this.state.entries(key(KeyPrefix.registryEntity))) {
      yield signedDecoder(decodeOwnCanonical(v), 'signed_entity');
    }
  }

  /** Every entity descriptor. */
  *entities(): Iterable<Entity> {
    for (const s of this.signedEntities())
      yield entityCodec.decode(decodeOwnCanonical(s.untrusted_raw_value), 'entity');
  }

  /** The stored node `id`, if registered. */
  storedNode(id: Uint8Array): StoredNode | undefined {
    const v = this.state.get(key(KeyPrefix.registryNode, h(id)));
    return v === undefined ? undefined : decodeStoredNode(v);
  }

  /** The node descriptor `id`, if registered. */
  node(id: Uint8Array): NodeDescriptor | undefined {
    return this.storedNode(id)?.node;
  }

  /** The node `id`; registry/10 when not registered. */
  requireNode(id: Uint8Array): NodeDescriptor {
    const n = this.node(id);
    if (n === undefined) throw RegistryErrors.noSuchNode();
    return n;
  }

  /** Every stored node, in key (hashed id) order. */
  *storedNodes(): Iterable<StoredNode> {
    for (const [, v] of this.state.entries(key(KeyPrefix.registryNode))) yield decodeStoredNode(v);
  }

  /** Every node descriptor, sorted by node ID (oasis-core `SortNodeList`). */
  nodes(): NodeDescriptor[] {
    return [...this.storedNodes()].map((s) => s.node).sort((a, b) => Buffer.compare(a.id, b.id));
  }

  /** The entity's nodes (through the node-by-entity index). */
  *entityNodes(entityId: Uint8Array): Iterable<NodeDescriptor> {
    for (const [k] of this.state.entries(key(KeyPrefix.registryNodeByEntity, h(entityId)))) {
      const v = this.state.get(key(KeyPrefix.registryNode, k.subarray(33, 65)));
      if (v !== undefined) yield decodeStoredNode(v).node;
    }
  }

  /** True when the entity has at least one node. */
  hasEntityNodes(entityId: Uint8Array): boolean {
    for (const _ of this.state.entries(key(KeyPrefix.registryNodeByEntity, h(entityId)))) return true;
    return false;
  }

  /** True when the entity owns at least one runtime. */
  hasEntityRuntimes(entityId: Uint8Array): boolean {
    for (const _ of this.state.entries(key(KeyPrefix.registryRuntimeByEntity, h(entityId)))) return true;
    return false;
  }

  /** The node whose consensus key has this CometBFT address. */
  nodeByConsensusAddress(address: Uint8Array): NodeDescriptor | undefined {
    const id = this.state.get(key(KeyPrefix.registryNodeByConsensusAddress, address));
    return id === undefined ? undefined : this.node(id);
  }

  /** The ID of the node using `subKey` as its consensus, P2P, TLS or VRF key. */
  nodeIdBySubKey(subKey: Uint8Array): Uint8Array | undefined {
    return this.state.get(key(KeyPrefix.registryKeyMap, h(subKey)));
  }

  /** The node's status (registry/10 when the node has none). */
  nodeStatus(id: Uint8Array): NodeStatus {
    const v = this.state.get(key(KeyPrefix.registryNodeStatus, h(id)));
    if (v === undefined) throw RegistryErrors.noSuchNode();
    return nodeStatusCodec.decode(decodeOwnCanonical(v), 'node_status');
  }

  /** The active runtime `id`, if registered and not suspended. */
  runtime(id: Uint8Array): Runtime | undefined {
    return this.#runtimeAt(KeyPrefix.registryRuntime, id);
  }

  /** The suspended runtime `id`, if any. */
  suspendedRuntime(id: Uint8Array): Runtime | undefined {
    return this.#runtimeAt(KeyPrefix.registrySuspendedRuntime, id);
  }

  /** The runtime `id`, active or suspended. */
  anyRuntime(id: Uint8Array): Runtime | undefined {
    return this.runtime(id) ?? this.suspendedRuntime(id);
  }

  /** Active runtimes, sorted by ID. */
  runtimes(): Runtime[] {
    return this.#runtimesAt(KeyPrefix.registryRuntime);
  }

  /** Suspended runtimes, sorted by ID. */
  suspendedRuntimes(): Runtime[] {
    return this.#runtimesAt(KeyPrefix.registrySuspendedRuntime);
  }

  #runtimeAt(prefix: number, id: Uint8Array): Runtime | undefined {
    const v = this.state.get(key(prefix, h(id)));
    return v === undefined ? undefined : runtimeCodec.decode(decodeOwnCanonical(v), 'runtime');
  }

  #runtimesAt(prefix: number): Runtime[] {
    return [...this.state.entries(key(prefix))]
      .map(([, v]) => runtimeCodec.decode(decodeOwnCanonical(v), 'runtime'))
      .sort((a, b) => Buffer.compare(a.id, b.id));
  }
}

function decodeStoredNode(v: Uint8Array): StoredNode {
  const signed = multiSignedDecoder(decodeOwnCanonical(v), 'signed_node');
  return { signed, node: nodeCodec.decode(decodeOwnCanonical(signed.untrusted_raw_value), 'node') };
}

/** The sub-keys a node is indexed by (0x17). */
function subKeys(n: NodeDescriptor): Uint8Array[] {
  return [n.consensus.id, n.p2p.id, n.tls.pubKey, n.vrf.id];
}

/** Read-write registry state. */
export class RegistryState extends RegistryStateReader {
  declare readonly state: StateWriter;

  constructor(state: StateWriter) {
    super(state);
  }

  setParameters(p: RegistryParameters): void {
    this.state.set(key(KeyPrefix.registryParameters), encodeCanonical(registryParametersCodec.encode(p)));
  }

  setEntity(entity: Entity, signed: Signed): void {
    this.state.set(key(KeyPrefix.registryEntity, h(entity.id)), encodeCanonical(signed));
  }

  removeEntity(id: Uint8Array): void {
    this.state.remove(key(KeyPrefix.registryEntity, h(id)));
  }

  /** Stores a node and its indexes, dropping index entries of keys the previous descriptor used. */
  setNode(previous: NodeDescriptor | undefined, n: NodeDescriptor, signed: MultiSigned): void {
    if (previous !== undefined) this.#removeIndexes(previous, n);
    this.state.set(key(KeyPrefix.registryNode, h(n.id)), encodeCanonical(signed));
    this.state.set(key(KeyPrefix.registryNodeByEntity, h(n.entityId), h(n.id)), EMPTY);
    this.state.set(key(KeyPrefix.registryNodeByConsensusAddress, consensusAddress(n.consensus.id)), n.id);
    for (const k of subKeys(n)) this.state.set(key(KeyPrefix.registryKeyMap, h(k)), n.id);
  }

  /** Removes a node, its indexes and its status. */
  removeNode(n: NodeDescriptor): void {
    this.#removeIndexes(n, undefined);
    this.state.remove(key(KeyPrefix.registryNode, h(n.id)));
    this.state.remove(key(KeyPrefix.registryNodeByEntity, h(n.entityId), h(n.id)));
    this.state.remove(key(KeyPrefix.registryNodeStatus, h(n.id)));
  }

  #removeIndexes(old: NodeDescriptor, next: NodeDescriptor | undefined): void {
    const kept = next === undefined ? [] : subKeys(next);
    if (next === undefined || !bytesEqual(old.consensus.id, next.consensus.id)) {
      this.state.remove(key(KeyPrefix.registryNodeByConsensusAddress, consensusAddress(old.consensus.id)));
    }
    for (const k of subKeys(old)) {
      if (!kept.some((x) => bytesEqual(x, k))) this.state.remove(key(KeyPrefix.registryKeyMap, h(k)));
    }
  }

  setNodeStatus(id: Uint8Array, status: NodeStatus): void {
    this.state.set(key(KeyPrefix.registryNodeStatus, h(id)), encodeCanonical(nodeStatusCodec.encode(status)));
  }

  /** The node's status, or a fresh one when it has none yet. */
  nodeStatusOrEmpty(id: Uint8Array): NodeStatus {
    return this.state.get(key(KeyPrefix.registryNodeStatus, h(id))) === undefined
      ? emptyNodeStatus()
      : this.nodeStatus(id);
  }

  /** Stores a runtime (active or suspended) and indexes it under its owner. */
  setRuntime(rt: Runtime, suspended: boolean, previousOwner?: Uint8Array): void {
    const value = encodeCanonical(runtimeCodec.encode(rt));
    this.state.set(
      key(suspended ? KeyPrefix.registrySuspendedRuntime : KeyPrefix.registryRuntime, h(rt.id)),
      value,
    );
    if (previousOwner !== undefined && !bytesEqual(previousOwner, rt.entity_id)) {
      this.state.remove(key(KeyPrefix.registryRuntimeByEntity, h(previousOwner), h(rt.id)));
    }
    this.state.set(key(KeyPrefix.registryRuntimeByEntity, h(rt.entity_id), h(rt.id)), EMPTY);
  }

  /** Moves a suspended runtime back to the active set. */
  resumeRuntime(rt: Runtime): void {
    this.state.remove(key(KeyPrefix.registrySuspendedRuntime, h(rt.id)));
    this.state.set(key(KeyPrefix.registryRuntime, h(rt.id)), encodeCanonical(runtimeCodec.encode(rt)));
  }

  /** Moves an active runtime to the suspended set; false when it is not active. */
  suspendRuntime(id: Uint8Array): boolean {
    const k = key(KeyPrefix.registryRuntime, h(id));
    const raw = this.state.get(k);
    if (raw === undefined) return false;
    this.state.remove(k);
    this.state.set(key(KeyPrefix.registrySuspendedRuntime, h(id)), raw);
    return true;
  }
}
