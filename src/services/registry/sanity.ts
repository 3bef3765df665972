/**
 * Registry invariants checked after every block in debug runs: every node belongs to a registered
 * entity, has a status and is reachable through its indexes; every runtime's owner exists.
 */
import { bytesEqual, toBase64, toHex } from '../../codec/bytes.ts';
import type { StateReader } from '../../state/api.ts';
import { consensusAddress, RegistryStateReader } from './state.ts';

/** Throws naming the first broken invariant. */
export function checkRegistryInvariants(state: StateReader): void {
  const reg = new RegistryStateReader(state);
  for (const node of reg.nodes()) {
    const name = `registry: node ${toBase64(node.id)}`;
    if (reg.entity(node.entityId) === undefined) throw new Error(`${name}: entity not registered`);
    reg.nodeStatus(node.id);
    const byAddress = reg.nodeByConsensusAddress(consensusAddress(node.consensus.id));
    if (byAddress === undefined || !bytesEqual(byAddress.id, node.id)) {
      throw new Error(`${name}: consensus address index broken`);
    }
  }
  for (const rt of [...reg.runtimes(), ...reg.suspendedRuntimes()]) {
    if (reg.entity(rt.entity_id) === undefined) {
      throw new Error(`registry: runtime ${toHex(rt.id)}: owner entity not registered`);
    }
  }
}
