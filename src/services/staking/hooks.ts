/**
 * What staking needs from the registry, as an interface the registry service will implement: resolving a
 * consensus key to its node and entity (fees, rewards and slashing go to entities) and freezing a node
 * that double-signed. Until a registry is plugged in, `NO_REGISTRY` resolves nothing, which sends every
 * fee share and slash lookup down oasis-core's "unknown node" path (fees to the common pool, evidence ignored).
 */
import type { Address } from '../../crypto/address.ts';
import type { StateReader, StateWriter } from '../../state/api.ts';

/** A registered node as staking sees it. */
export interface NodeRef {
  /** Node ID (its Ed25519 identity public key). */
  nodeId: Uint8Array;
  /** Staking address of the node's entity. */
  entity: Address;
  /** True while the node is frozen (a frozen node is not slashed again). */
  frozen: boolean;
}

/** Registry lookups and actions staking relies on. */
export interface RegistryHooks {
  /**
   * The entity address of the registered node whose consensus key is `consensusPublicKey`, or undefined
   * when no registered node has that key.
   */
  consensusKeyToEntity(state: StateReader, consensusPublicKey: Uint8Array): Address | undefined;
  /** The registered node with that consensus key, or undefined. */
  consensusKeyToNode(state: StateReader, consensusPublicKey: Uint8Array): NodeRef | undefined;
  /** Freezes a node until `untilEpoch` (u64 max = forever); it must call `registry.UnfreezeNode` after. */
  freezeNode(state: StateWriter, nodeId: Uint8Array, untilEpoch: bigint): void;
}

/** The registry view before any registry exists: no node is known. */
export const NO_REGISTRY: RegistryHooks = Object.freeze({
  consensusKeyToEntity: () => undefined,
  consensusKeyToNode: () => undefined,
  freezeNode: () => {
    throw new Error('staking: no registry to freeze nodes in');
  },
});
