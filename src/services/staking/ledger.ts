/**
 * State-level ledger moves other services call (oasis-core `MutableState.Transfer`,
 * `TransferFromCommon`, `TransferToGovernanceDeposits`, `TransferFromGovernanceDeposits`,
 * `DiscardGovernanceDeposit`): roothash funds runtime messages, governance holds proposal deposits,
 * the scheduler pays election rewards. Each emits the same transfer events oasis-core does.
 */
import { bytesEqual } from '../../codec/bytes.ts';
import { type Address, ReservedAddresses } from '../../crypto/address.ts';
import type { ServiceContext } from '../mux/context.ts';
import { plainError } from '../mux/result.ts';
import { StakingErrors } from './api/errors.ts';
import { emitStaking } from './api/events.ts';
import type { StakingState } from './state.ts';

/** General-balance transfer; staking/3 when the source cannot cover it, staking/10 below the minimum. */
export function transferGeneral(
  ctx: ServiceContext,
  st: StakingState,
  from: Address,
  to: Address,
  amount: bigint,
): void {
  if (bytesEqual(from, to) || amount === 0n) return;
  const src = st.account(from);
  const dst = st.account(to);
  if (src.general.balance < amount) throw StakingErrors.insufficientBalance();
  src.general.balance -= amount;
  dst.general.balance += amount;
  const min = st.parameters().minTransactBalance;
  if (src.general.balance < min)
    throw StakingErrors.balanceTooLow('staking: balance too low: source account');
  if (dst.general.balance < min) throw StakingErrors.balanceTooLow('staking: balance too low: dest account');
  st.setAccount(from, src);
  st.setAccount(to, dst);
  emitStaking.transfer(ctx, from, to, amount);
}

/**
 * Moves up to `amount` from the common pool to `to`'s general balance; returns what moved (0 when the
 * pool is empty).
 */
export function transferFromCommonPool(
  ctx: ServiceContext,
  st: StakingState,
  to: Address,
  amount: bigint,
): bigint {
  const pool = st.commonPool();
  const moved = amount < pool ? amount : pool;
  if (moved === 0n) return 0n;
  const account = st.account(to);
  account.general.balance += moved;
  st.setAccount(to, account);
  st.setCommonPool(pool - moved);
  emitStaking.transfer(ctx, ReservedAddresses.commonPool, to, moved);
  return moved;
}

/** Moves a proposal deposit from `from`'s general balance into the governance deposits. */
export function transferToGovernanceDeposits(
  ctx: ServiceContext,
  st: StakingState,
  from: Address,
  amount: bigint,
): void {
  const account = st.account(from);
  if (account.general.balance < amount)
    throw plainError('staking: failed to transfer to governance deposits: insufficient balance');
  account.general.balance -= amount;
  st.setAccount(from, account);
  st.setGovernanceDeposits(st.governanceDeposits() + amount);
  emitStaking.transfer(ctx, from, ReservedAddresses.governanceDeposits, amount);
}

/** Returns a deposit from the governance deposits to `to`. */
export function transferFromGovernanceDeposits(
  ctx: ServiceContext,
  st: StakingState,
  to: Address,
  amount: bigint,
): void {
  const deposits = st.governanceDeposits();
  if (deposits < amount)
    throw plainError('staking: failed to transfer from governance deposits: insufficient balance');
  const account = st.account(to);
  account.general.balance += amount;
  st.setAccount(to, account);
  st.setGovernanceDeposits(deposits - amount);
  emitStaking.transfer(ctx, ReservedAddresses.governanceDeposits, to, amount);
}

/** Forfeits a deposit from the governance deposits to the common pool. */
export function discardGovernanceDeposit(ctx: ServiceContext, st: StakingState, amount: bigint): void {
  const deposits = st.governanceDeposits();
  if (deposits < amount)
    throw plainError('staking: failed to discard governance deposit: insufficient balance');
  st.setGovernanceDeposits(deposits - amount);
  st.setCommonPool(st.commonPool() + amount);
  emitStaking.transfer(ctx, ReservedAddresses.governanceDeposits, ReservedAddresses.commonPool, amount);
}
