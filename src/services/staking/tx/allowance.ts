/**
 * `staking.Allow` and `staking.Withdraw`: an owner grants a beneficiary an allowance, and the beneficiary
 * withdraws from the owner's general balance within it. Disabled when `max_allowances` is 0 or transfers
 * are disabled; reserved addresses and self-allowances are refused.
 */
import { bytesEqual } from '../../../codec/bytes.ts';
import type { ServiceContext } from '../../mux/context.ts';
import { hexOf, isReserved } from '../api/address.ts';
import { StakingErrors } from '../api/errors.ts';
import { emitStaking } from '../api/events.ts';
import type { Allow, Withdraw } from '../api/methods.ts';
import { GasOps, type StakingParameters } from '../api/params.ts';
import { beginMethod } from './common.ts';

function allowancesEnabled(params: StakingParameters): boolean {
  return !params.disableTransfers && params.maxAllowances !== 0;
}

/** Executes `staking.Allow`. */
export function allow(ctx: ServiceContext, a: Allow): void {
  const scope = beginMethod(ctx, GasOps.allow);
  if (scope === undefined) return;
  const { st, params, caller } = scope;
  if (!allowancesEnabled(params)) throw StakingErrors.forbidden();
  if (isReserved(caller) || isReserved(a.beneficiary)) throw StakingErrors.forbidden();
  if (bytesEqual(caller, a.beneficiary)) throw StakingErrors.invalidArgument();

  const account = st.account(caller);
  const key = hexOf(a.beneficiary);
  const current = account.general.allowances.get(key) ?? 0n;
  let allowance: bigint;
  let amountChange: bigint;
  if (a.negative) {
    amountChange = a.amountChange < current ? a.amountChange : current;
    allowance = current - amountChange;
  } else {
    amountChange = a.amountChange;
    allowance = current + amountChange;
  }
  if (allowance > st.totalSupply()) throw StakingErrors.allowanceGreaterThanSupply();
  if (allowance === 0n) account.general.allowances.delete(key);
  else account.general.allowances.set(key, allowance);
  if (account.general.allowances.size > params.maxAllowances) throw StakingErrors.tooManyAllowances();

  st.setAccount(caller, account);
  emitStaking.allowanceChange(ctx, {
    owner: caller,
    beneficiary: a.beneficiary,
    allowance,
    negative: a.negative,
    amountChange,
  });
}

/** Executes `staking.Withdraw`. */
export function withdraw(ctx: ServiceContext, w: Withdraw): void {
  const scope = beginMethod(ctx, GasOps.withdraw);
  if (scope === undefined) return;
  const { st, params, caller } = scope;
  if (w.amount < params.minTransfer) throw StakingErrors.underMinTransferAmount();
  if (!allowancesEnabled(params)) throw StakingErrors.forbidden();
  if (isReserved(caller) || isReserved(w.from)) throw StakingErrors.forbidden();
  if (bytesEqual(caller, w.from)) throw StakingErrors.invalidArgument();

  const from = st.account(w.from);
  const key = hexOf(caller);
  const current = from.general.allowances.get(key);
  if (current === undefined || current < w.amount) throw StakingErrors.forbidden();
  const allowance = current - w.amount;
  if (allowance === 0n) from.general.allowances.delete(key);
  else from.general.allowances.set(key, allowance);

  const to = st.account(caller);
  if (from.general.balance < w.amount) throw StakingErrors.insufficientBalance();
  from.general.balance -= w.amount;
  to.general.balance += w.amount;
  if (from.general.balance < params.minTransactBalance)
    throw StakingErrors.balanceTooLow('staking: balance too low: source account');
  if (to.general.balance < params.minTransactBalance)
    throw StakingErrors.balanceTooLow('staking: balance too low: dest account');

  st.setAccount(caller, to);
  st.setAccount(w.from, from);
  emitStaking.transfer(ctx, w.from, caller, w.amount);
  emitStaking.allowanceChange(ctx, {
    owner: w.from,
    beneficiary: caller,
    allowance,
    negative: true,
    amountChange: w.amount,
  });
}
