/**
 * Slashing for consensus misbehaviour (oasis-core `apps/staking/slashing.go`, `SlashEscrow`): the node
 * behind the offending consensus key is resolved through the registry (unknown or already frozen →
 * ignored), frozen for `freeze_interval` epochs, and its entity's escrow loses `amount`, split across the
 * active and debonding pools in proportion to their balances (shares unchanged, so every delegator
 * loses pro rata). The stake goes to the common pool.
 */
import type { Misbehavior } from '../../consensus/api/application.ts';
import type { Address } from '../../crypto/address.ts';
import type { ServiceContext } from '../mux/context.ts';
import type { SharePool } from './api/account.ts';
import { emitStaking } from './api/events.ts';
import { SlashReason } from './api/params.ts';
import type { RegistryHooks } from './hooks.ts';
import type { StakingState } from './state.ts';

/** Epoch value meaning "never" (oasis-core `EpochInvalid`). */
export const EPOCH_FOREVER = (1n << 64n) - 1n;

function slashPool(pool: SharePool, amount: bigint, total: bigint): bigint {
  if (total === 0n) return 0n;
  const want = (amount * pool.balance) / total;
  // biome-ignore lint/complexity/useMathMinMax: bigint operands
  const taken = want < pool.balance ? want : pool.balance;
  pool.balance -= taken;
  return taken;
}

/**
 * Slashes `amount` from `address`'s escrow into the common pool; returns what was actually taken.
 * Emits TakeEscrowEvent when anything was taken.
 */
export function slashEscrow(ctx: ServiceContext, st: StakingState, address: Address, amount: bigint): bigint {
  const account = st.account(address);
  const total = account.escrow.active.balance + account.escrow.debonding.balance;
  const active = slashPool(account.escrow.active, amount, total);
  const debonding = slashPool(account.escrow.debonding, amount, total);
  const taken = active + debonding;
  if (taken === 0n) return 0n;
  st.setCommonPool(st.commonPool() + taken);
  st.setAccount(address, account);
  emitStaking.takeEscrow(ctx, address, taken, debonding);
  return taken;
}

/** Handles one piece of consensus misbehaviour, slashed under its own reason (equivocation or light-client attack). */
export function onConsensusMisbehavior(
  ctx: ServiceContext,
  st: StakingState,
  registry: RegistryHooks,
  evidence: Misbehavior,
): void {
  const node = registry.consensusKeyToNode(ctx.state, evidence.publicKey);
  if (node === undefined || node.frozen) return;
  const reason =
    evidence.kind === 'light-client-attack'
      ? SlashReason.consensusLightClientAttack
      : SlashReason.consensusEquivocation;
  const penalty = st.parameters().slashing.get(reason);
  if (penalty === undefined) return;
  if (penalty.freezeInterval > 0n) {
    // E = epoch at the last committed height.
    const epoch = ctx.epochs.currentEpoch(ctx.state, Math.max(ctx.height - 1, 0));
    const until = epoch + penalty.freezeInterval;
    registry.freezeNode(ctx.state, node.nodeId, until >= EPOCH_FOREVER ? EPOCH_FOREVER : until);
  }
  slashEscrow(ctx, st, node.entity, penalty.amount);
}
