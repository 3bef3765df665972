/**
 * Who may be elected, read from the registry and staking state at an epoch: a node counts when it has
 * not expired, is not frozen, and its entity's escrow covers all of the entity's stake claims (unless
 * stake is bypassed by staking's or the scheduler's debug flag).
 */
import { addressFromPublicKey } from '../../crypto/address.ts';
import type { StateReader } from '../../state/api.ts';
import type { NodeDescriptor } from '../registry/api/node.ts';
import { isFrozen, type NodeStatus } from '../registry/api/status.ts';
import { RegistryStateReader } from '../registry/state.ts';
import { isNodeExpired } from '../registry/verify_node.ts';
import { checkStakeClaims } from '../staking/claims.ts';
import { StakingStateReader } from '../staking/state.ts';

/** A node that passed the common eligibility checks, with its status. */
export interface UsableNode {
  node: NodeDescriptor;
  status: NodeStatus | undefined;
}

/** The registry and staking as elections see them at one epoch. */
export class ElectionView {
  readonly registry: RegistryStateReader;
  readonly staking: StakingStateReader;
  readonly #stakeOk = new Map<string, boolean>();

  constructor(
    state: StateReader,
    readonly epoch: bigint,
    readonly bypassStake: boolean,
  ) {
    this.registry = new RegistryStateReader(state);
    this.staking = new StakingStateReader(state);
  }

  /** True when the entity's escrow covers its claims (cached per entity). */
  entityStakeOk(entityId: Uint8Array): boolean {
    if (this.bypassStake) return true;
    const k = Buffer.from(entityId).toString('hex');
    let ok = this.#stakeOk.get(k);
    if (ok === undefined) {
      try {
        checkStakeClaims(this.staking, addressFromPublicKey(entityId));
        ok = true;
      } catch {
        ok = false;
      }
      this.#stakeOk.set(k, ok);
    }
    return ok;
  }

  /** Active escrow of an entity (what voting power is computed from). */
  escrowOf(entityId: Uint8Array): bigint {
    return this.staking.account(addressFromPublicKey(entityId)).escrow.active.balance;
  }

  /** Non-expired, non-frozen nodes whose entity passes the stake check, ascending by node ID. */
  usableNodes(): UsableNode[] {
    const out: UsableNode[] = [];
    for (const node of this.registry.nodes()) {
      if (isNodeExpired(node, this.epoch)) continue;
      let status: NodeStatus | undefined;
      try {
        status = this.registry.nodeStatus(node.id);
      } catch {
        status = undefined;
      }
      if (status !== undefined && isFrozen(status)) continue;
      if (!this.entityStakeOk(node.entityId)) continue;
      out.push({ node, status });
    }
    return out;
  }
}
