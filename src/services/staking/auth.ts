/**
 * Transaction authentication and fee payment (oasis-core `AuthenticateAndPayFees` / `PostExecuteTx`):
 * reserved signers are refused, the nonce must match, the balance must cover fee + `min_transact_balance`.
 * In DeliverTx the fee moves to the block's fee accumulator and the nonce is bumped in the outer state,
 * so both survive a failing method; the gas limit becomes `fee.gas` within the block's budget.
 */
import type { Transaction } from '../../consensus/api/transaction.ts';
import { TxErrors } from '../../consensus/api/transaction.ts';
import { addressToBech32, ReservedAddresses } from '../../crypto/address.ts';
import type { ServiceContext } from '../mux/context.ts';
import { GasMeter, UNLIMITED_GAS } from '../mux/gas.ts';
import { plainError } from '../mux/result.ts';
import type { TransactionAuthHandler } from '../mux/service.ts';
import { isReserved } from './api/address.ts';
import { StakingErrors } from './api/errors.ts';
import { emitStaking } from './api/events.ts';
import { StakingState } from './state.ts';

/** Block-scoped key of the fee accumulator (fees of the block being executed). */
export const BLOCK_FEES_KEY = 'staking.block_fees';

/** Fees collected so far in the block. */
export function blockFees(values: ReadonlyMap<string, unknown>): bigint {
  return (values.get(BLOCK_FEES_KEY) as bigint | undefined) ?? 0n;
}

/** The staking implementation of the mux's auth handler. */
export const stakingAuthHandler: TransactionAuthHandler = {
  authenticateTx(ctx: ServiceContext, tx: Transaction): void {
    if (ctx.isSimulation) {
      ctx.gas = new GasMeter(UNLIMITED_GAS);
      return;
    }
    if (ctx.txSigner === undefined) throw plainError('transaction has no signer');
    const addr = ctx.callerAddress;
    if (isReserved(addr))
      throw plainError(`using reserved account address ${addressToBech32(addr)} is prohibited`);

    const st = new StakingState(ctx.state);
    const account = st.account(addr);
    if (account.general.nonce !== tx.nonce) throw TxErrors.invalidNonce();

    const feeAmount = tx.fee?.amount ?? 0n;
    const feeGas = tx.fee?.gas ?? 0n;
    const params = st.parameters();
    if (account.general.balance < feeAmount + params.minTransactBalance) throw StakingErrors.balanceTooLow();

    if (ctx.isCheckOnly) {
      ctx.gas = new GasMeter(feeGas);
      return;
    }

    account.general.balance -= feeAmount;
    account.general.nonce += 1n;
    st.setAccount(addr, account);
    ctx.block.values.set(BLOCK_FEES_KEY, blockFees(ctx.block.values) + feeAmount);
    if (feeAmount !== 0n) emitStaking.transfer(ctx, addr, ReservedAddresses.feeAccumulator, feeAmount);
    ctx.gas = new GasMeter(feeGas, ctx.block.gas);
  },

  postExecuteTx(ctx: ServiceContext, tx: Transaction): void {
    if (!ctx.isCheckOnly || ctx.txSigner === undefined) return;
    const st = new StakingState(ctx.state);
    const addr = ctx.callerAddress;
    const account = st.account(addr);
    const feeAmount = tx.fee?.amount ?? 0n;
    if (account.general.balance < feeAmount) throw TxErrors.insufficientFeeBalance();
    account.general.balance -= feeAmount;
    account.general.nonce += 1n;
    st.setAccount(addr, account);
  },
};
