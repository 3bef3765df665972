/**
 * The life of a raw Ethereum transaction in the ParaTime, runtime-sdk style: admission (size, decoding and
 * sender recovery, gas ceiling and price floor, intrinsic gas, exact nonce, fee balance) changes nothing
 * when it refuses; execution then takes the whole fee (gas limit × price) and bumps the nonce, charges the
 * SDK's gas for the transaction's bytes and signature, runs the EVM on the rest in its own write buffer
 * (kept only on success), and refunds the unused gas. Fees go to the accounts fee accumulator.
 */
import { toBase64 } from '../../../../codec/bytes.ts';
import type { CborValue } from '../../../../codec/cbor.ts';
import { quantityToBytes } from '../../../../codec/quantity.ts';
import type { Address } from '../../../../crypto/address.ts';
import { CodedError } from '../../../../errors.ts';
import type { StateReader, StateWriter } from '../../../../state/api.ts';
import { StateOverlay } from '../../../../state/overlay.ts';
import { CORE_MODULE, CoreErrorCode, coreError } from '../../../protocol/core_errors.ts';
import type { RuntimeEvent } from '../../../protocol/events.ts';
import type { CheckTxMetadata } from '../../../protocol/types.ts';
import { type CallOutcome, encodeCallResult, failOutcome } from '../../sdk/call_result.ts';
import type { TxOutcome } from '../accounts/dispatch.ts';
import {
  ACCOUNTS_MODULE,
  AccountsEventCode,
  FEE_ACCUMULATOR_ADDRESS,
  GasCosts,
  NATIVE_DENOMINATION,
} from '../accounts/params.ts';
import { credit, debit, getBalance, getNonce, setNonce } from '../accounts/state.ts';
import { oasisAddressOfEth } from './address.ts';
import { type CallDataOpener, type OpenedCallData, plainCallData } from './call_data.ts';
import type { EthTxDecoder } from './decode_cache.ts';
import type { EvmBlock, EvmEngine } from './engine.ts';
import {
  CoreEventCode,
  EVM_MODULE,
  EvmErrorCode,
  EvmEventCode,
  evmError,
  MAX_EVM_TX_SIZE,
  MAX_REFUND_QUOTIENT,
  MAX_RESULT_SIZE,
  minAmount,
} from './params.ts';
import type { EthTransaction } from './raw_tx.ts';

/** runtime-sdk core "gas overflow": a gas limit above the batch ceiling. */
const GAS_OVERFLOW = 11;

/** What Ethereum transactions are checked against. */
export interface EthEnvironment {
  engine: EvmEngine;
  /** Decodes raw transactions for the engine's chain at `minGasPrice` as base fee, remembering them. */
  decoder: EthTxDecoder;
  minGasPrice: bigint;
  maxBatchGas: bigint;
}

/** An Ethereum transaction that passed admission. */
export interface AdmittedEthTx {
  eth: EthTransaction;
  /** The sender's runtime-sdk address (holder of its nonce and balance). */
  caller: Address;
  fee: bigint;
  /** SDK gas: transaction bytes and one signature. */
  sdkGas: bigint;
}

/** Admits `payload` (the raw Ethereum bytes inside `raw`); throws core errors, changing nothing. */
export function admitEthTx(
  env: EthEnvironment,
  state: StateReader,
  raw: Uint8Array,
  payload: Uint8Array,
  check: boolean,
): AdmittedEthTx {
  if (raw.length > MAX_EVM_TX_SIZE) {
    throw coreError(
      CoreErrorCode.oversizedTransaction,
      `transaction of ${raw.length} bytes exceeds ${MAX_EVM_TX_SIZE}`,
    );
  }
  const eth = env.decoder.decode(payload);
  if (eth.gasLimit > env.maxBatchGas) throw coreError(GAS_OVERFLOW, 'gas overflow');
  if (eth.gasPrice < env.minGasPrice)
    throw coreError(CoreErrorCode.gasPriceTooLow, `gas price ${eth.gasPrice} below ${env.minGasPrice}`);
  const sdkGas = BigInt(raw.length) * GasCosts.txByte + GasCosts.authSignature;
  if (eth.gasLimit < sdkGas + eth.intrinsicGas) {
    throw coreError(
      CoreErrorCode.outOfGas,
      `out of gas (limit: ${eth.gasLimit} wanted: ${sdkGas + eth.intrinsicGas})`,
    );
  }
  const caller = oasisAddressOfEth(eth.sender);
  const expected = getNonce(state, caller);
  if (eth.nonce < expected || (!check && eth.nonce !== expected))
    throw coreError(CoreErrorCode.invalidNonce, `invalid nonce ${eth.nonce} (expected ${expected})`);
  if (eth.nonce > expected)
    throw coreError(CoreErrorCode.futureNonce, `future nonce ${eth.nonce} (expected ${expected})`);
  const fee = eth.gasPrice * eth.gasLimit;
  if (getBalance(state, caller, NATIVE_DENOMINATION) < fee)
    throw coreError(CoreErrorCode.insufficientFeeBalance, 'insufficient balance to pay fees');
  return { eth, caller, fee, sdkGas };
}

/** Mempool ordering of an admitted transaction. */
export function ethMetadata(tx: Pick<AdmittedEthTx, 'eth' | 'caller'>): CheckTxMetadata {
  return { priority: tx.eth.gasPrice, sender: tx.caller, sender_seq: tx.eth.nonce };
}

/** Whether `err` is core/26 (a future nonce a pool may hold). */
export function isFutureNonce(err: unknown): boolean {
  return (
    err instanceof Error &&
    (err as { module?: string }).module === CORE_MODULE &&
    (err as { code?: number }).code === CoreErrorCode.futureNonce
  );
}

/** The `evm.Log` event of a log. */
export function logEvent(log: { address: Uint8Array; topics: Uint8Array[]; data: Uint8Array }): RuntimeEvent {
  return {
    module: EVM_MODULE,
    code: EvmEventCode.log,
    body: { address: log.address, topics: log.topics, data: log.data },
  };
}

/** Executes one Ethereum transaction on `state`; `open` reads its calldata (and seals a call's output). */
export async function executeEthTx(
  env: EthEnvironment,
  state: StateWriter,
  raw: Uint8Array,
  payload: Uint8Array,
  block: EvmBlock,
  open: CallDataOpener = plainCallData,
): Promise<TxOutcome> {
  let tx: AdmittedEthTx;
  try {
    tx = admitEthTx(env, state, raw, payload, false);
  } catch (err) {
    return { result: encodeCallResult(failOutcome(err)), events: [] };
  }
  const { eth, caller, fee, sdkGas } = tx;
  debit(state, caller, NATIVE_DENOMINATION, fee);
  setNonce(state, caller, eth.nonce + 1n);

  let opened: OpenedCallData;
  try {
    opened = await open(eth.data);
  } catch (err) {
    // A key manager out of reach is no property of the call: the batch fails on this node instead.
    if (!(err instanceof CodedError)) throw err;
    // A bad envelope fails the call like a failed execution: the fee for what was checked is kept.
    return chargeAndReport(state, tx, sdkGas + eth.intrinsicGas, failOutcome(err), []);
  }
  const buffer = new StateOverlay(state);
  const run = await env.engine.run(
    buffer,
    state,
    {
      caller: eth.sender,
      ...(eth.to !== undefined ? { to: eth.to } : {}),
      value: eth.value,
      data: opened.data,
      gasLimit: eth.gasLimit - sdkGas - eth.intrinsicGas,
      gasPrice: eth.gasPrice,
      accessList: eth.accessList,
    },
    block,
  );
  let outcome: CallOutcome;
  let gasUsed: bigint;
  const events: RuntimeEvent[] = [];
  if (run.status === 'ok' && run.selfDestructed > 0) {
    outcome = failOutcome(
      evmError(EvmErrorCode.executionFailed, 'execution failed: SELFDESTRUCT not supported'),
    );
    gasUsed = eth.gasLimit;
  } else {
    const evmGas = eth.intrinsicGas + run.gasUsed;
    const cap = evmGas / MAX_REFUND_QUOTIENT;
    gasUsed = sdkGas + evmGas - minAmount(run.gasRefund, cap);
    outcome = callOutcome(run, eth.to === undefined);
    if (run.status === 'ok') {
      buffer.commitTo(state);
      events.push(...run.logs.map(logEvent));
      // A created contract's address stays public; a call's output goes back sealed.
      if (eth.to !== undefined && 'ok' in outcome) outcome = { ok: opened.seal(outcome.ok as Uint8Array) };
    }
  }
  return chargeAndReport(state, tx, gasUsed, outcome, events);
}

/** Refunds the unused fee, pays the rest to the fee accumulator and reports the call's result and events. */
function chargeAndReport(
  state: StateWriter,
  { eth, caller, fee }: AdmittedEthTx,
  gasUsed: bigint,
  outcome: CallOutcome,
  events: RuntimeEvent[],
): TxOutcome {
  const charged = gasUsed * eth.gasPrice;
  credit(state, caller, NATIVE_DENOMINATION, fee - charged);
  credit(state, FEE_ACCUMULATOR_ADDRESS, NATIVE_DENOMINATION, charged);
  events.push(
    {
      module: ACCOUNTS_MODULE,
      code: AccountsEventCode.transfer,
      body: {
        from: caller,
        to: FEE_ACCUMULATOR_ADDRESS,
        amount: [quantityToBytes(charged), NATIVE_DENOMINATION],
      },
    },
    { module: CORE_MODULE, code: CoreEventCode.gasUsed, body: { amount: gasUsed } },
  );
  return { result: encodeCallResult(outcome), events };
}

/** The CallResult of an EVM run: the created address or the (cut) return data; coded failures otherwise. */
export function callOutcome(
  run: {
    status: 'ok' | 'reverted' | 'failed';
    output: Uint8Array;
    error?: string;
    createdAddress?: Uint8Array;
  },
  create: boolean,
): CallOutcome {
  if (run.status === 'reverted') {
    return failOutcome(evmError(EvmErrorCode.reverted, `reverted: ${toBase64(run.output)}`));
  }
  if (run.status === 'failed') {
    return failOutcome(evmError(EvmErrorCode.executionFailed, `execution failed: ${run.error ?? 'unknown'}`));
  }
  const ok: CborValue = create
    ? (run.createdAddress ?? new Uint8Array(0))
    : run.output.slice(0, MAX_RESULT_SIZE);
  return { ok };
}
