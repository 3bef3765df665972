/**
 * The ParaTime's transaction methods: `accounts.Transfer` moves tokens between runtime accounts;
 * `consensus.Withdraw` burns the signer's native tokens here and emits a consensus staking transfer, so
 * the consensus layer pays them out of the runtime's own account; `consensus.Deposit` is the other way,
 * driven by incoming consensus messages (tokens already moved into the runtime account) and minting here.
 */

import { bytesEqual } from '../../../../codec/bytes.ts';
import type { CborValue } from '../../../../codec/cbor.ts';
import { decodeCanonical } from '../../../../codec/cbor.ts';
import { quantityToBytes } from '../../../../codec/quantity.ts';
import { bytes, type Decoder, optional, struct, text } from '../../../../codec/schema.ts';
import { ADDRESS_SIZE, type Address } from '../../../../crypto/address.ts';
import { CodedError } from '../../../../errors.ts';
import type { StateWriter } from '../../../../state/api.ts';
import { CoreErrorCode, coreError } from '../../../protocol/core_errors.ts';
import type { RuntimeEvent } from '../../../protocol/events.ts';
import type { IncomingMessage } from '../../../protocol/types.ts';
import { type BaseUnits, baseUnits, type VerifiedTransaction } from '../../sdk/transaction.ts';
import type { GasMeter } from './gas.ts';
import {
  ACCOUNTS_MODULE,
  AccountsErrorCode,
  AccountsEventCode,
  CONSENSUS_ACCOUNTS_MODULE,
  ConsensusAccountsErrorCode,
  GasCosts,
  Methods,
  NATIVE_DENOMINATION,
} from './params.ts';
import { burn, mint, transfer } from './state.ts';

/** What a method may touch. */
export interface CallContext {
  state: StateWriter;
  tx: VerifiedTransaction;
  /** The first signer: who pays and whose tokens move. */
  caller: Address;
  gas: GasMeter;
  /** Emits a consensus message; throws core/6 when the transaction or batch has no slot left. */
  emitMessage(message: CborValue): void;
  /** Emits an event (kept only if the call succeeds). */
  emitEvent(event: RuntimeEvent): void;
}

/** A method: decode the body, then act; returns the CallResult `ok` value. */
type Method = (ctx: CallContext) => CborValue;

function decodeBody<T>(decoder: Decoder<T>, body: CborValue, module: string, code: number): T {
  try {
    return decoder(body, 'body');
  } catch (err) {
    throw new CodedError(module, code, `invalid call body: ${(err as Error).message}`);
  }
}

const transferBody = struct({ to: bytes(ADDRESS_SIZE), amount: baseUnits });
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

const accountsTransfer: Method = (ctx) => {
  const body = decodeBody(transferBody, ctx.tx.body, ACCOUNTS_MODULE, AccountsErrorCode.invalidArgument);
  ctx.gas.use(GasCosts.transfer);
  transfer(ctx.state, ctx.caller, body.to, body.amount.denomination, body.amount.amount);
  ctx.emitEvent({
    module: ACCOUNTS_MODULE,
    code: AccountsEventCode.transfer,
    body: {
      from: ctx.caller,
      to: body.to,
      amount: [quantityToBytes(body.amount.amount), body.amount.denomination],
    },
  });
  return null;
};

const consensusWithdraw: Method = (ctx) => {
  const body = decodeBody(
    consensusBody,
    ctx.tx.body,
    CONSENSUS_ACCOUNTS_MODULE,
    ConsensusAccountsErrorCode.invalidArgument,
  );
  ctx.gas.use(GasCosts.withdraw);
  requireNative(body.amount);
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
  const amount = quantityToBytes(body.amount.amount);
  ctx.emitMessage({ staking: { v: 0, transfer: { to: body.to ?? ctx.caller, amount } } });
  ctx.emitEvent({
    module: ACCOUNTS_MODULE,
    code: AccountsEventCode.burn,
    body: { owner: ctx.caller, amount: [amount, NATIVE_DENOMINATION] },
  });
  return null;
};

const consensusDepositTx: Method = () => {
  // Deposits arrive as incoming consensus messages (the tokens must move on the consensus layer first).
  throw new CodedError(
    CONSENSUS_ACCOUNTS_MODULE,
    ConsensusAccountsErrorCode.forbidden,
    'consensus.Deposit is only accepted inside an incoming consensus message',
  );
};

const METHODS: ReadonlyMap<string, Method> = new Map([
  [Methods.transfer, accountsTransfer],
  [Methods.withdraw, consensusWithdraw],
  [Methods.deposit, consensusDepositTx],
]);

/** Runs the method a transaction calls; unknown methods fail with core/3. */
export function callMethod(ctx: CallContext): CborValue {
  const method = METHODS.get(ctx.tx.method);
  if (method === undefined)
    throw coreError(CoreErrorCode.invalidMethod, `unknown method ${JSON.stringify(ctx.tx.method)}`);
  return method(ctx);
}

const depositCall = struct({ method: text, body: consensusBody });

/**
 * Credits an incoming message's tokens. Its `data` may be a CBOR call `{method: "consensus.Deposit",
 * body: {to?, amount}}` naming another recipient; the tokens already sit in the runtime's consensus
 * account, so they are never dropped: if `data` is malformed or disagrees, the caller is credited and the
 * error returned for the record.
 */
export function processDeposit(state: StateWriter, msg: IncomingMessage): CodedError | null {
  let to = msg.caller;
  let error: CodedError | null = null;
  if (msg.data.length > 0) {
    try {
      const call = depositCall(decodeCanonical(msg.data), 'data');
      if (call.method !== Methods.deposit) throw new Error(`method ${call.method} is not ${Methods.deposit}`);
      requireNative(call.body.amount);
      if (call.body.amount.amount !== msg.tokens) throw new Error('amount differs from the tokens sent');
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
  mint(state, to, NATIVE_DENOMINATION, msg.tokens);
  return error;
}
