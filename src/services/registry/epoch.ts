/**
 * Registry work at an epoch change (oasis-core `onRegistryEpochChanged`): nodes whose registration lapsed
 * are announced once (node event, `is_registration: false`) and kept for the staking debonding interval so
 * they can still be slashed, then removed together with their stake claim. A node-list marker event
 * closes the epoch's work.
 */
import type { ServiceContext } from '../mux/context.ts';
import { StakingStateReader } from '../staking/state.ts';
import { emitRegistry } from './api/events.ts';
import { stakeClaimForNode } from './api/methods.ts';
import type { NodeDescriptor } from './api/node.ts';
import { RegistryState } from './state.ts';
import { releaseStake } from './tx/common.ts';
import { isNodeExpired } from './verify_node.ts';

const U64_MAX = (1n << 64n) - 1n;

/** Processes node expiry for the epoch that just began. */
export function onRegistryEpochChanged(ctx: ServiceContext, epoch: bigint): void {
  const reg = new RegistryState(ctx.state);
  const debondingInterval = new StakingStateReader(ctx.state).parameters().debondingInterval;
  const newlyExpired: NodeDescriptor[] = [];
  for (const node of reg.nodes()) {
    if (!isNodeExpired(node, epoch)) continue;
    const status = reg.nodeStatusOrEmpty(node.id);
    if (!status.expiration_processed) {
      newlyExpired.push(node);
      status.expiration_processed = true;
      reg.setNodeStatus(node.id, status);
    }
    if (U64_MAX - node.expiration < debondingInterval) continue; // would overflow: kept forever
    if (node.expiration + debondingInterval < epoch) {
      reg.removeNode(node);
      releaseStake(ctx, node.entityId, stakeClaimForNode(node.id));
    }
  }
  for (const node of newlyExpired) emitRegistry.node(ctx, node, false);
  emitRegistry.nodeListEpoch(ctx);
}
