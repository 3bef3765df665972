/**
 * The ParaTime's transaction methods by name: `accounts.Transfer` moves tokens between runtime accounts;
 * the consensus bridging methods (`consensus.Deposit`, `consensus.Withdraw`) are in consensus_accounts.ts.
 */

import type { CborValue } from '../../../../codec/cbor.ts';
import { bytes, struct } from '../../../../codec/schema.ts';
import { ADDRESS_SIZE } from '../../../../crypto/address.ts';
import { CoreErrorCode, coreError } from '../../../protocol/core_errors.ts';
import { baseUnits } from '../../sdk/transaction.ts';
import { type CallContext, decodeBody, type Method } from './call_context.ts';
import { consensusDeposit, consensusWithdraw } from './consensus_accounts.ts';
import { transferEvent } from './events.ts';
import { ACCOUNTS_MODULE, AccountsErrorCode, GasCosts, Methods } from './params.ts';
import { transfer } from './state.ts';

export type { CallContext } from './call_context.ts';

const transferBody = struct({ to: bytes(ADDRESS_SIZE), amount: baseUnits });

const accountsTransfer: Method = (ctx) => {
  const body = decodeBody(transferBody, ctx.tx.body, ACCOUNTS_MODULE, AccountsErrorCode.invalidArgument);
  ctx.gas.use(GasCosts.transfer);
  transfer(ctx.state, ctx.caller, body.to, body.amount.denomination, body.amount.amount);
  ctx.emitEvent(transferEvent(ctx.caller, body.to, body.amount.amount, body.amount.denomination));
  return null;
};

const METHODS: ReadonlyMap<string, Method> = new Map([
  [Methods.transfer, accountsTransfer],
  [Methods.withdraw, consensusWithdraw],
  [Methods.deposit, consensusDeposit],
]);

/** Runs the method a transaction calls; unknown methods fail with core/3. */
export function callMethod(ctx: CallContext): CborValue {
  const method = METHODS.get(ctx.tx.method);
  if (method === undefined)
    throw coreError(CoreErrorCode.invalidMethod, `unknown method ${JSON.stringify(ctx.tx.method)}`);
  return method(ctx);
}
