/**
 * `staking.Transfer` and `staking.Burn`. A transfer to the burn address is a burn. Both need amount ≥
 * `min_transfer` and leave every touched general balance ≥ `min_transact_balance`.
 */

import { bytesEqual } from '../../../codec/bytes.ts';
import { ReservedAddresses } from '../../../crypto/address.ts';
import type { ServiceContext } from '../../mux/context.ts';
import { hexOf, isReserved } from '../api/address.ts';
import { quantityInsufficientBalance, StakingErrors } from '../api/errors.ts';
import { emitStaking } from '../api/events.ts';
import type { Burn, Transfer } from '../api/methods.ts';
import { GasOps } from '../api/params.ts';
import { beginMethod, isTransferPermitted, type MethodScope } from './common.ts';

/** Executes `staking.Transfer`. */
export function transfer(ctx: ServiceContext, xfer: Transfer): void {
  const scope = beginMethod(ctx, GasOps.transfer);
  if (scope === undefined) return;
  const { params, caller } = scope;
  if (isReserved(caller) || !isTransferPermitted(params, hexOf(caller))) throw StakingErrors.forbidden();
  if (bytesEqual(xfer.to, ReservedAddresses.burn)) burnImpl(ctx, scope, xfer.amount);
  else transferImpl(scope, xfer);
  emitStaking.transfer(ctx, caller, xfer.to, xfer.amount);
}

function transferImpl({ st, params, caller }: MethodScope, xfer: Transfer): void {
  if (xfer.amount < params.minTransfer) throw StakingErrors.underMinTransferAmount();
  const from = st.account(caller);
  if (bytesEqual(caller, xfer.to)) {
    if (from.general.balance < xfer.amount) throw StakingErrors.insufficientBalance();
    st.setAccount(caller, from);
    return;
  }
  const to = st.account(xfer.to);
  if (from.general.balance < xfer.amount) throw quantityInsufficientBalance();
  from.general.balance -= xfer.amount;
  to.general.balance += xfer.amount;
  if (from.general.balance < params.minTransactBalance)
    throw StakingErrors.balanceTooLow('staking: balance too low: source account');
  if (to.general.balance < params.minTransactBalance)
    throw StakingErrors.balanceTooLow('staking: balance too low: dest account');
  st.setAccount(xfer.to, to);
  st.setAccount(caller, from);
}

/** Executes `staking.Burn`. */
export function burn(ctx: ServiceContext, b: Burn): void {
  const scope = beginMethod(ctx, GasOps.burn);
  if (scope === undefined) return;
  if (isReserved(scope.caller)) throw StakingErrors.forbidden();
  burnImpl(ctx, scope, b.amount);
}

function burnImpl(ctx: ServiceContext, { st, params, caller }: MethodScope, amount: bigint): void {
  if (amount < params.minTransfer) throw StakingErrors.underMinTransferAmount();
  const from = st.account(caller);
  if (from.general.balance < amount) throw quantityInsufficientBalance();
  from.general.balance -= amount;
  if (from.general.balance < params.minTransactBalance) throw StakingErrors.balanceTooLow();
  const supply = st.totalSupply();
  st.setAccount(caller, from);
  st.setTotalSupply(supply - amount);
  emitStaking.burn(ctx, caller, amount);
}
