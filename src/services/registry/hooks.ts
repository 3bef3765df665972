/**
 * The registry side of staking's `RegistryHooks`: fees, rewards and slashing find a validator's node and
 * entity by consensus key (through the consensus-address index, as CometBFT evidence carries addresses),
 * and slashing freezes the node in its status.
 */
import { addressFromPublicKey } from '../../crypto/address.ts';
import type { StateReader, StateWriter } from '../../state/api.ts';
import type { NodeRef, RegistryHooks } from '../staking/hooks.ts';
import { isFrozen } from './api/status.ts';
import { consensusAddress, RegistryState, RegistryStateReader } from './state.ts';

function nodeRef(state: StateReader, consensusKey: Uint8Array): NodeRef | undefined {
  const reader = new RegistryStateReader(state);
  const node = reader.nodeByConsensusAddress(consensusAddress(consensusKey));
  if (node === undefined) return undefined;
  let frozen = false;
  try {
    frozen = isFrozen(reader.nodeStatus(node.id));
  } catch {
    frozen = false;
  }
  return { nodeId: node.id, entity: addressFromPublicKey(node.entityId), frozen };
}

/** Registry lookups over consensus state, for the staking service. */
export const registryHooks: RegistryHooks = Object.freeze({
  consensusKeyToEntity: (state: StateReader, key: Uint8Array) => nodeRef(state, key)?.entity,
  consensusKeyToNode: nodeRef,
  freezeNode(state: StateWriter, nodeId: Uint8Array, untilEpoch: bigint): void {
    const reg = new RegistryState(state);
    const status = reg.nodeStatusOrEmpty(nodeId);
    status.freeze_end_time = untilEpoch;
    reg.setNodeStatus(nodeId, status);
  },
});
