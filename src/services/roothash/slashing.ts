/**
 * Runtime slashing (oasis-core `apps/roothash/slashing.go`, `liveness.go`): nodes that committed wrong
 * results, or missed too many rounds, lose their entity's stake as the runtime's `staking.slashing`
 * configures for the reason, and are frozen for `freeze_interval` epochs; part of the stake slashed for
 * wrong results rewards the entities that got them right. A runtime without a penalty for the reason
 * slashes nothing.
 */
import { addressFromPublicKey } from '../../crypto/address.ts';
import type { ServiceContext } from '../mux/context.ts';
import type { Runtime } from '../registry/api/runtime.ts';
import { FREEZE_FOREVER, isFrozen } from '../registry/api/status.ts';
import { RegistryState } from '../registry/state.ts';
import { transferFromCommonPool } from '../staking/ledger.ts';
import { slashEscrow } from '../staking/slashing.ts';
import { StakingState } from '../staking/state.ts';

/** Slashes the entities of `nodeIds` for `reason` per `rt`'s penalties; returns the total taken. */
export function slashRuntimeNodes(
  ctx: ServiceContext,
  rt: Runtime,
  reason: number,
  nodeIds: readonly Uint8Array[],
): bigint {
  const penalty = rt.staking.slashing.get(reason);
  if (penalty === undefined || nodeIds.length === 0) return 0n;
  const registry = new RegistryState(ctx.state);
  const staking = new StakingState(ctx.state);
  const epoch = ctx.currentEpoch();
  let taken = 0n;
  for (const id of nodeIds) {
    const node = registry.node(id);
    if (node === undefined) continue;
    const status = registry.nodeStatusOrEmpty(id);
    if (isFrozen(status)) continue;
    if (penalty.freeze_interval > 0n) {
      const until = epoch + penalty.freeze_interval;
      // biome-ignore lint/complexity/useMathMinMax: bigint operands
      status.freeze_end_time = until >= FREEZE_FOREVER ? FREEZE_FOREVER : until;
      registry.setNodeStatus(id, status);
    }
    taken += slashEscrow(ctx, staking, addressFromPublicKey(node.entityId), penalty.amount);
  }
  return taken;
}

/**
 * Pays `reward_bad_results` percent of what was slashed for incorrect results, in equal parts, to the
 * entities that computed the right results (from the common pool into their general balances; oasis-core
 * deposits into escrow, which the staking module does not offer other services yet).
 */
export function rewardCorrectEntities(
  ctx: ServiceContext,
  rt: Runtime,
  slashed: bigint,
  entities: readonly Uint8Array[],
): void {
  if (slashed === 0n || entities.length === 0 || rt.staking.reward_bad_results === 0) return;
  const total = (slashed * BigInt(rt.staking.reward_bad_results)) / 100n;
  const each = total / BigInt(entities.length);
  if (each === 0n) return;
  const staking = new StakingState(ctx.state);
  for (const e of entities) transferFromCommonPool(ctx, staking, addressFromPublicKey(e), each);
}
