/**
 * The transaction pipeline, shared by check and execute: authenticate, check expiry, fee denomination,
 * gas and gas price, nonces (strict: exactly the next one) and fee balance; then (execute only) pay the
 * fee to the fee accumulator, bump the nonces and run the method in its own write buffer. A transaction
 * failing before its fee is paid changes nothing; one whose method fails keeps only fee and nonce changes.
 */

import { bytesEqual } from '../../../../codec/bytes.ts';
import type { CborValue } from '../../../../codec/cbor.ts';
import { CodedError } from '../../../../errors.ts';
import type { StateReader, StateWriter } from '../../../../state/api.ts';
import { StateOverlay } from '../../../../state/overlay.ts';
import { CORE_MODULE, CoreErrorCode, coreError } from '../../../protocol/core_errors.ts';
import type { RuntimeEvent } from '../../../protocol/events.ts';
import type { BlockContext, CheckTxMetadata, CheckTxResult, Version } from '../../../protocol/types.ts';
import { encodeCallResult, failOutcome } from '../../sdk/call_result.ts';
import type { VerifiedTransaction } from '../../sdk/transaction.ts';
import type { VerifiedTxCache } from '../../sdk/verify_cache.ts';
import { GasMeter, intrinsicGas } from './gas.ts';
import type { IndexedHook, MessageHook } from './message_hooks.ts';
import { callMethod } from './methods.ts';
import { FEE_ACCUMULATOR_ADDRESS, Methods, NATIVE_DENOMINATION } from './params.ts';
import { credit, debit, getBalance, getNonce, setNonce } from './state.ts';

/** Chain-bound settings every transaction is checked against. */
export interface TxEnvironment {
  /** Authenticates under the full signature context (`oasis-runtime-sdk/tx: v0 for chain …`). */
  verifier: VerifiedTxCache;
  minGasPrice: bigint;
  /** The runtime's version (reported by `core.RuntimeInfo`). */
  version: Version;
  /** Runtime units per consensus base unit (runtime-sdk `consensus_scaling_factor`, a power of ten). */
  scalingFactor: bigint;
}

/**
 * Methods any gas price pays for (runtime-sdk `MIN_GAS_PRICE_EXEMPT_METHODS`, as Emerald and Sapphire set
 * it): a first deposit comes from someone with nothing in the runtime to pay a fee with.
 */
const MIN_GAS_PRICE_EXEMPT: ReadonlySet<string> = new Set([Methods.deposit]);

/** Authenticates and validates a transaction against `state` without changing anything. */
function admit(
  env: TxEnvironment,
  state: StateReader,
  raw: Uint8Array,
  round: bigint,
  check: boolean,
): VerifiedTransaction {
  const tx = env.verifier.verify(raw);
  if (tx.readOnly) throw coreError(CoreErrorCode.readOnlyTransaction, 'read-only calls cannot be executed');
  if (
    (tx.notBefore !== undefined && round < tx.notBefore) ||
    (tx.notAfter !== undefined && round > tx.notAfter)
  ) {
    throw coreError(CoreErrorCode.expiredTransaction, `transaction not valid in round ${round}`);
  }
  if (!bytesEqual(tx.fee.amount.denomination, NATIVE_DENOMINATION)) {
    throw coreError(CoreErrorCode.invalidArgument, 'fees are paid in the native denomination');
  }
  const needed = intrinsicGas(tx);
  if (tx.fee.gas < needed)
    throw coreError(CoreErrorCode.outOfGas, `gas limit ${tx.fee.gas} below intrinsic ${needed}`);
  if (!MIN_GAS_PRICE_EXEMPT.has(tx.method) && tx.fee.amount.amount < env.minGasPrice * tx.fee.gas) {
    throw coreError(CoreErrorCode.gasPriceTooLow, `fee below ${env.minGasPrice} per gas`);
  }
  for (const signer of tx.signers) {
    const expected = getNonce(state, signer.address);
    if (signer.nonce < expected || (!check && signer.nonce !== expected)) {
      throw coreError(CoreErrorCode.invalidNonce, `invalid nonce ${signer.nonce} (expected ${expected})`);
    }
    if (signer.nonce > expected)
      throw coreError(CoreErrorCode.futureNonce, `future nonce ${signer.nonce} (expected ${expected})`);
  }
  if (getBalance(state, tx.signers[0]!.address, NATIVE_DENOMINATION) < tx.fee.amount.amount) {
    throw coreError(CoreErrorCode.insufficientFeeBalance, 'insufficient balance to pay fees');
  }
  return tx;
}

function metadata(tx: VerifiedTransaction): CheckTxMetadata {
  return {
    priority: tx.fee.amount.amount / tx.fee.gas,
    sender: tx.signers[0]!.address,
    sender_seq: tx.signers[0]!.nonce,
  };
}

/**
 * Mempool check of one transaction, with ordering metadata when it is acceptable, and also when its only
 * fault is a future nonce (core/26), so a pool may hold it until the gap closes.
 */
export function checkTx(
  env: TxEnvironment,
  state: StateReader,
  raw: Uint8Array,
  block: BlockContext,
): CheckTxResult {
  try {
    return { error: {}, meta: metadata(admit(env, state, raw, block.round, true)) };
  } catch (err) {
    const fail = failOutcome(err);
    if (!('fail' in fail)) return { error: {} };
    if (err instanceof CodedError && err.module === CORE_MODULE && err.code === CoreErrorCode.futureNonce) {
      return { error: fail.fail, meta: metadata(env.verifier.verify(raw)) };
    }
    return { error: fail.fail };
  }
}

/** Consensus messages still allowed in the batch, those emitted so far and their hooks. */
export interface MessageBudget {
  remaining: number;
  readonly emitted: CborValue[];
  /** Hooks of emitted messages that have one, by message index. */
  readonly hooks: IndexedHook[];
}

/** An empty budget of `max` messages. */
export function messageBudget(max: number): MessageBudget {
  return { remaining: max, emitted: [], hooks: [] };
}

/** What executing one transaction yields. */
export interface TxOutcome {
  /** CBOR CallResult. */
  result: Uint8Array;
  /** Events of a successful call (none otherwise). */
  events: RuntimeEvent[];
}

/** Executes one transaction on `state`. */
export function executeTx(
  env: TxEnvironment,
  state: StateWriter,
  raw: Uint8Array,
  round: bigint,
  budget: MessageBudget,
): TxOutcome {
  let tx: VerifiedTransaction;
  try {
    tx = admit(env, state, raw, round, false);
  } catch (err) {
    return { result: encodeCallResult(failOutcome(err)), events: [] };
  }
  const caller = tx.signers[0]!.address;
  debit(state, caller, NATIVE_DENOMINATION, tx.fee.amount.amount);
  credit(state, FEE_ACCUMULATOR_ADDRESS, NATIVE_DENOMINATION, tx.fee.amount.amount);
  for (const signer of tx.signers) setNonce(state, signer.address, signer.nonce + 1n);

  const gas = new GasMeter(tx.fee.gas);
  gas.use(intrinsicGas(tx));
  const overlay = new StateOverlay(state);
  const messages: Array<{ message: CborValue; hook: MessageHook | undefined }> = [];
  const events: RuntimeEvent[] = [];
  try {
    const ok = callMethod({
      state: overlay,
      tx,
      caller,
      gas,
      scalingFactor: env.scalingFactor,
      emitMessage: (message, hook) => {
        if (messages.length >= tx.fee.consensusMessages || messages.length >= budget.remaining) {
          throw coreError(CoreErrorCode.outOfMessageSlots, 'no consensus message slot left');
        }
        messages.push({ message, hook });
      },
      emitEvent: (event) => events.push(event),
    });
    overlay.commitTo(state);
    budget.remaining -= messages.length;
    for (const { message, hook } of messages) {
      if (hook !== undefined) budget.hooks.push({ ...hook, index: budget.emitted.length });
      budget.emitted.push(message);
    }
    return { result: encodeCallResult({ ok }), events };
  } catch (err) {
    overlay.discard();
    return { result: encodeCallResult(failOutcome(err)), events: [] };
  }
}
