/**
 * runtime-sdk's `consensus_accounts` module, shared by the accounts and EVM ParaTimes: `consensus.Withdraw`
 * sets the signer's native tokens aside and emits a consensus staking transfer, so the consensus layer
 * pays them out of the runtime's own account (burnt here once it did); deposits come either as incoming consensus messages (tokens
 * already moved into the runtime account) or as user-signed `consensus.Deposit` transactions (the runtime
 * withdraws from the user's consensus account under an allowance), and mint here. Amounts in calls are runtime units; what crosses to the
 * consensus layer is scaled by the ParaTime's `consensus_scaling_factor` and must scale exactly.
 */

import { bytesEqual } from '../../../../codec/bytes.ts';
import { decodeCanonical } from '../../../../codec/cbor.ts';
import { quantityToBytes } from '../../../../codec/quantity.ts';
import { bytes, optional, struct, text } from '../../../../codec/schema.ts';
import { ADDRESS_SIZE } from '../../../../crypto/address.ts';
import { CodedError } from '../../../../errors.ts';
import type { StateWriter } from '../../../../state/api.ts';
import type { RuntimeEvent } from '../../../protocol/events.ts';
import type { IncomingMessage, MessageResult } from '../../../protocol/types.ts';
import { amountFromConsensus, amountToConsensus } from '../../sdk/consensus.ts';
import { type BaseUnits, baseUnits } from '../../sdk/transaction.ts';
import { decodeBody, type Method } from './call_context.ts';
import { burnEvent, transferEvent } from './events.ts';
import { DEPOSIT_HOOK, type IndexedHook, takeHooks, WITHDRAW_HOOK } from './message_hooks.ts';
import {
  CONSENSUS_ACCOUNTS_MODULE,
  ConsensusAccountsErrorCode,
  ConsensusAccountsEventCode,
  GasCosts,
  Methods,
  NATIVE_DENOMINATION,
  PENDING_WITHDRAWAL_ADDRESS,
} from './params.ts';
import { burn, credit, debit, mint, transfer } from './state.ts';

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

/**
 * What `consensus.Withdraw` and `consensus.Deposit` do first: decode the body, charge `gas`, require the
 * native denomination, and scale the amount to consensus base units — checked before anything moves, so
 * an amount the consensus layer cannot represent changes nothing.
 */
function openConsensusCall(ctx: Parameters<Method>[0], gas: bigint) {
  const body = decodeBody(
    consensusBody,
    ctx.tx.body,
    CONSENSUS_ACCOUNTS_MODULE,
    ConsensusAccountsErrorCode.invalidArgument,
  );
  ctx.gas.use(gas);
  requireNative(body.amount);
  return { body, consensusAmount: amountToConsensus(body.amount.amount, ctx.scalingFactor) };
}

/**
 * `consensus.Withdraw {to?, amount}`: moves `amount` from the signer into the pending-withdrawal account
 * and has the consensus layer pay it out of the runtime's account; the next round burns it once the
 * transfer is done, or refunds it when the consensus layer refused it (runtime-sdk's order and events).
 */
export const consensusWithdraw: Method = (ctx) => {
  const { body, consensusAmount } = openConsensusCall(ctx, GasCosts.withdraw);
  const to = body.to ?? ctx.caller;
  ctx.emitMessage(
    { staking: { v: 0, transfer: { to, amount: quantityToBytes(consensusAmount) } } },
    {
      kind: WITHDRAW_HOOK,
      from: ctx.caller,
      nonce: ctx.tx.signers[0]!.nonce,
      to,
      amount: body.amount.amount,
    },
  );
  debit(
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
  credit(ctx.state, PENDING_WITHDRAWAL_ADDRESS, NATIVE_DENOMINATION, body.amount.amount);
  ctx.emitEvent(transferEvent(ctx.caller, PENDING_WITHDRAWAL_ADDRESS, body.amount.amount));
  return null;
};

/**
 * `consensus.Deposit {to?, amount}` signed by a consensus account holder (runtime-sdk's user-signed
 * deposit): the user has allowed the runtime's staking address to withdraw from their consensus account
 * (`staking.Allow`); the runtime emits a staking `withdraw` of the amount from the signer's account into
 * its own, and credits `to` (default: the signer) in the next round, once the consensus layer reports the
 * withdrawal done — a refused withdrawal (no allowance, short balance) credits nothing. runtime-sdk
 * requires a signer that exists on the consensus layer, a single Ed25519 key: every SDK transaction
 * signer here is one.
 */
export const consensusDeposit: Method = (ctx) => {
  const { body, consensusAmount } = openConsensusCall(ctx, GasCosts.deposit);
  ctx.emitMessage(
    { staking: { v: 0, withdraw: { from: ctx.caller, amount: quantityToBytes(consensusAmount) } } },
    {
      kind: DEPOSIT_HOOK,
      from: ctx.caller,
      nonce: ctx.tx.signers[0]!.nonce,
      to: body.to ?? ctx.caller,
      amount: body.amount.amount,
    },
  );
  return null;
};

const isSuccess = (r: MessageResult | undefined): boolean =>
  r !== undefined && r.module === '' && r.code === 0;

/** Finishes one hook given its message's outcome; returns the events it emits. */
function finishHook(
  state: StateWriter,
  hook: IndexedHook,
  outcome: MessageResult | undefined,
): RuntimeEvent[] {
  const ok = isSuccess(outcome);
  const events: RuntimeEvent[] = [];
  if (hook.kind === DEPOSIT_HOOK) {
    if (ok) mint(state, hook.to, NATIVE_DENOMINATION, hook.amount);
  } else if (ok) {
    burn(state, PENDING_WITHDRAWAL_ADDRESS, NATIVE_DENOMINATION, hook.amount);
    events.push(burnEvent(PENDING_WITHDRAWAL_ADDRESS, hook.amount));
  } else {
    transfer(state, PENDING_WITHDRAWAL_ADDRESS, hook.from, NATIVE_DENOMINATION, hook.amount);
    events.push(transferEvent(PENDING_WITHDRAWAL_ADDRESS, hook.from, hook.amount));
  }
  events.push({
    module: CONSENSUS_ACCOUNTS_MODULE,
    code:
      hook.kind === DEPOSIT_HOOK ? ConsensusAccountsEventCode.deposit : ConsensusAccountsEventCode.withdraw,
    body: {
      from: hook.from,
      nonce: hook.nonce,
      to: hook.to,
      amount: [quantityToBytes(hook.amount), NATIVE_DENOMINATION],
      // A missing outcome cannot be settled as done: reported as the consensus layer's unknown failure.
      ...(ok ? {} : { error: { module: outcome?.module ?? '', code: outcome?.code ?? 1 } }),
    },
  });
  return events;
}

/**
 * Finishes what the previous batch started, given the consensus layer's outcomes of its messages: a
 * deposit whose withdrawal succeeded is credited, a withdrawal whose transfer succeeded is burnt and one
 * that failed refunded; each is recorded by a `consensus_accounts` Deposit or Withdraw event (with the
 * consensus error when it failed). Returns the events (of the block, not of a transaction).
 */
export function finishMessages(state: StateWriter, results: readonly MessageResult[]): RuntimeEvent[] {
  return takeHooks(state).flatMap((hook) =>
    finishHook(
      state,
      hook,
      results.find((r) => r.index === hook.index),
    ),
  );
}

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
