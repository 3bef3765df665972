/**
 * Registry invariants checked after every block in debug runs: every node belongs to a registered
 * entity that claims stake for it, has a status and is reachable through its indexes; every runtime's owner exists.
 */
import { bytesEqual, toBase64, toHex } from '../../codec/bytes.ts';
import { addressFromPublicKey } from '../../crypto/address.ts';
import type { StateReader } from '../../state/api.ts';
import { StakingStateReader } from '../staking/state.ts';
import { stakeClaimForNode } from './api/methods.ts';
import { consensusAddress, RegistryStateReader } from './state.ts';

/** Throws naming the first broken invariant. */
export function checkRegistryInvariants(state: StateReader): void {
  const reg = new RegistryStateReader(state);
  const staking = new StakingStateReader(state);
  const bypass = staking.parameters().debugBypassStake;
  for (const node of reg.nodes()) {
    const name = `registry: node ${toBase64(node.id)}`;
    if (reg.entity(node.entityId) === undefined) throw new Error(`${name}: entity not registered`);
    reg.nodeStatus(node.id);
    const byAddress = reg.nodeByConsensusAddress(consensusAddress(node.consensus.id));
    if (byAddress === undefined || !bytesEqual(byAddress.id, node.id)) {
      throw new Error(`${name}: consensus address index broken`);
    }
    if (
      !bypass &&
      !staking.account(addressFromPublicKey(node.entityId)).escrow.claims.has(stakeClaimForNode(node.id))
    ) {
      throw new Error(`${name}: entity holds no stake claim for it`);
    }
  }
  for (const rt of [...reg.runtimes(), ...reg.suspendedRuntimes()]) {
    if (reg.entity(rt.entity_id) === undefined) {
      throw new Error(`registry: runtime ${toHex(rt.id)}: owner entity not registered`);
    }
  }
}
