/**
 * `staking.AddEscrow` and `staking.ReclaimEscrow`. Delegating moves general balance into the escrow
 * account's active pool for new shares; reclaiming redeems active shares, deposits the stake into the
 * debonding pool and records a debonding delegation ending `debonding_interval` epochs from now.
 */
import { bytesEqual } from '../../../codec/bytes.ts';
import type { ServiceContext } from '../../mux/context.ts';
import type { Account } from '../api/account.ts';
import { isReserved } from '../api/address.ts';
import { quantityInsufficientBalance, StakingErrors } from '../api/errors.ts';
import { emitStaking } from '../api/events.ts';
import type { Escrow, ReclaimEscrow } from '../api/methods.ts';
import { GasOps } from '../api/params.ts';
import { depositToPool, withdrawFromPool } from '../share_pool.ts';
import { beginMethod } from './common.ts';

/** Executes `staking.AddEscrow`; returns the shares obtained. */
export function addEscrow(ctx: ServiceContext, escrow: Escrow): bigint {
  const scope = beginMethod(ctx, GasOps.addEscrow);
  if (scope === undefined) return 0n;
  const { st, params, caller } = scope;
  if (escrow.amount < params.minDelegation) throw StakingErrors.underMinDelegationAmount();
  if (isReserved(caller)) throw StakingErrors.forbidden();

  const self = bytesEqual(caller, escrow.account);
  const from = st.account(caller);
  let to: Account = from;
  if (!self) {
    if (params.disableDelegation) throw StakingErrors.forbidden();
    to = st.account(escrow.account);
  }
  const delegation = st.delegation(caller, escrow.account);

  if (from.general.balance < escrow.amount) throw quantityInsufficientBalance();
  from.general.balance -= escrow.amount;
  const shares = depositToPool(to.escrow.active, escrow.amount);
  delegation.shares += shares;

  if (from.general.balance < params.minTransactBalance) throw StakingErrors.balanceTooLow();

  st.setAccount(caller, from);
  if (!self) st.setAccount(escrow.account, to);
  st.setDelegation(caller, escrow.account, delegation);
  emitStaking.addEscrow(ctx, caller, escrow.account, escrow.amount, shares);
  return shares;
}

/** What a reclaim did (oasis-core `ReclaimEscrowResult`, less the addresses the caller knows). */
export interface ReclaimOutcome {
  amount: bigint;
  debondingShares: bigint;
  remainingShares: bigint;
  debondEndTime: bigint;
}

/** Executes `staking.ReclaimEscrow`; returns what it did (undefined in CheckTx and simulation). */
export function reclaimEscrow(ctx: ServiceContext, reclaim: ReclaimEscrow): ReclaimOutcome | undefined {
  if (reclaim.shares === 0n) throw StakingErrors.invalidArgument();
  const scope = beginMethod(ctx, GasOps.reclaimEscrow);
  if (scope === undefined) return undefined;
  const { st, params, caller } = scope;
  if (isReserved(caller)) throw StakingErrors.forbidden();

  const self = bytesEqual(caller, reclaim.account);
  const to = st.account(caller);
  let from: Account = to;
  if (!self) {
    if (params.disableDelegation) throw StakingErrors.forbidden();
    from = st.account(reclaim.account);
  }
  const delegation = st.delegation(caller, reclaim.account);
  const debondEndTime = ctx.currentEpoch() + params.debondingInterval;

  if (delegation.shares < reclaim.shares) throw quantityInsufficientBalance();
  delegation.shares -= reclaim.shares;
  const amount = withdrawFromPool(from.escrow.active, reclaim.shares);
  const debondingShares = depositToPool(from.escrow.debonding, amount);

  st.addDebondingDelegation(caller, reclaim.account, { shares: debondingShares, debondEndTime });
  st.setDelegation(caller, reclaim.account, delegation);
  st.setAccount(caller, to);
  if (!self) st.setAccount(reclaim.account, from);
  emitStaking.debondingStart(ctx, {
    owner: caller,
    escrow: reclaim.account,
    amount,
    activeShares: reclaim.shares,
    debondingShares,
    debondEndTime,
  });
  return { amount, debondingShares, remainingShares: delegation.shares, debondEndTime };
}
