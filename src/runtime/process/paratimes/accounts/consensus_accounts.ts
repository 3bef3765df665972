/**
 * runtime-sdk's `consensus_accounts` module, shared by the accounts and EVM ParaTimes: `consensus.Withdraw`
 * burns the signer's native tokens here and emits a consensus staking transfer, so the consensus layer
 * pays them out of the runtime's own account; deposits come as incoming consensus messages (tokens already
 * moved into the runtime account) and mint here. Amounts in calls are runtime units; what crosses to the
 * consensus layer is scaled by the ParaTime's `consensus_scaling_factor` and must scale exactly.
 */

import { bytesEqual } from '../../../../codec/bytes.ts';
import { decodeCanonical } from '../../../../codec/cbor.ts';
import { quantityToBytes } from '../../../../codec/quantity.ts';
import { bytes, optional, struct, text } from '../../../../codec/schema.ts';
import { ADDRESS_SIZE } from '../../../../crypto/address.ts';
import { CodedError } from '../../../../errors.ts';
import type { StateWriter } from '../../../../state/api.ts';
import type { IncomingMessage } from '../../../protocol/types.ts';
import { amountFromConsensus, amountToConsensus } from '../../sdk/consensus.ts';
import { type BaseUnits, baseUnits } from '../../sdk/transaction.ts';
import { decodeBody, type Method } from './call_context.ts';
import {
  ACCOUNTS_MODULE,
  AccountsEventCode,
  CONSENSUS_ACCOUNTS_MODULE,
  ConsensusAccountsErrorCode,
  GasCosts,
  Methods,
  NATIVE_DENOMINATION,
} from './params.ts';
import { burn, mint } from './state.ts';

const consensusBody = struct({ to: optional(bytes(ADDRESS_SIZE)), amount: baseUnits });

function requireNative(amount: BaseUnits): void {
  if (!bytesEqual(amount.denomination, NATIVE_DENOMINATION)) {
    throw new CodedError(
      CONSENSUS_ACCOUNTS_MODULE,
      ConsensusAccountsErrorCode.invalidDenomination,
      'only the native denomination moves to and from the consensus layer',
    );
  }
}

/** `consensus.Withdraw {to?, amount}`: burns `amount` here and has the consensus layer pay it out. */
export const consensusWithdraw: Method = (ctx) => {
  const body = decodeBody(
    consensusBody,
    ctx.tx.body,
    CONSENSUS_ACCOUNTS_MODULE,
    ConsensusAccountsErrorCode.invalidArgument,
  );
  ctx.gas.use(GasCosts.withdraw);
  requireNative(body.amount);
  // Checked before anything moves: an amount the consensus layer cannot represent changes nothing.
  const consensusAmount = amountToConsensus(body.amount.amount, ctx.scalingFactor);
  burn(
    ctx.state,
    ctx.caller,
    NATIVE_DENOMINATION,
    body.amount.amount,
    () =>
      new CodedError(
        CONSENSUS_ACCOUNTS_MODULE,
        ConsensusAccountsErrorCode.insufficientBalance,
        'insufficient balance to withdraw',
      ),
  );
  ctx.emitMessage({
    staking: { v: 0, transfer: { to: body.to ?? ctx.caller, amount: quantityToBytes(consensusAmount) } },
  });
  ctx.emitEvent({
    module: ACCOUNTS_MODULE,
    code: AccountsEventCode.burn,
    body: { owner: ctx.caller, amount: [quantityToBytes(body.amount.amount), NATIVE_DENOMINATION] },
  });
  return null;
};

/** `consensus.Deposit` as a transaction. */
export const consensusDeposit: Method = () => {
  // Deposits arrive as incoming consensus messages (the tokens must move on the consensus layer first).
  throw new CodedError(
    CONSENSUS_ACCOUNTS_MODULE,
    ConsensusAccountsErrorCode.forbidden,
    'consensus.Deposit is only accepted inside an incoming consensus message',
  );
};

const depositCall = struct({ method: text, body: consensusBody });

/**
 * Credits an incoming message's tokens (consensus base units, scaled to runtime units). Its `data` may be
 * a CBOR call `{method: "consensus.Deposit", body: {to?, amount}}` naming another recipient, `amount` in
 * runtime units; the tokens already sit in the runtime's consensus account, so they are never dropped: if
 * `data` is malformed or disagrees, the caller is credited and the error returned for the record.
 */
export function processDeposit(
  state: StateWriter,
  msg: IncomingMessage,
  scalingFactor: bigint,
): CodedError | null {
  const amount = amountFromConsensus(msg.tokens, scalingFactor);
  let to = msg.caller;
  let error: CodedError | null = null;
  if (msg.data.length > 0) {
    try {
      const call = depositCall(decodeCanonical(msg.data), 'data');
      if (call.method !== Methods.deposit) throw new Error(`method ${call.method} is not ${Methods.deposit}`);
      requireNative(call.body.amount);
      if (call.body.amount.amount !== amount) throw new Error('amount differs from the tokens sent');
      if (call.body.to !== undefined) to = call.body.to;
    } catch (err) {
      error =
        err instanceof CodedError
          ? err
          : new CodedError(
              CONSENSUS_ACCOUNTS_MODULE,
              ConsensusAccountsErrorCode.invalidArgument,
              (err as Error).message,
            );
    }
  }
  mint(state, to, NATIVE_DENOMINATION, amount);
  return error;
}
