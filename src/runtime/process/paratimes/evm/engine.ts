/**
 * One EVM (`@ethereumjs/evm`, hard fork `HARDFORK`) reused for every call: each run binds the state
 * manager to that transaction's state, resets the per-transaction journal (warm sets, transient storage),
 * pre-warms what EIP-2929/2930/3651 say a transaction starts with, and reports the outcome without
 * touching fees or nonces (the dispatcher owns those). Block values come from the runtime round only.
 */
import { type Common, createCustomCommon, Mainnet } from '@ethereumjs/common';
import { type CustomPrecompile, createEVM, type EVM, type EVMResult } from '@ethereumjs/evm';
import { paramsTx } from '@ethereumjs/tx';
import { Address, bytesToHex, createZeroAddress } from '@ethereumjs/util';
import { ecrecover } from '../../../../crypto/secp256k1_recover.ts';
import type { StateReader, StateWriter } from '../../../../state/api.ts';
import { KeyManagerUnavailableError } from '../sapphire/call_data_keys.ts';
import { type ContractStorage, PUBLIC_STORAGE } from './contract_storage.ts';
import { HARDFORK } from './params.ts';
import { RuntimeStateManager } from './state_manager.ts';
// Installs the per-code jump analysis memo and the cheap Common lookups every engine runs with.
import '../../../../crypto/eth_common_lookups.ts';
import './jump_analysis.ts';

/** Block values the EVM sees (NUMBER, TIMESTAMP, GASLIMIT, BASEFEE); COINBASE and PREVRANDAO are zero. */
export interface EvmBlock {
  number: bigint;
  timestamp: bigint;
  gasLimit: bigint;
  baseFee: bigint;
}

/** One top-level message. */
export interface EvmCall {
  caller: Uint8Array;
  /** Callee; absent for a creation (then `data` is the init code). */
  to?: Uint8Array;
  value: bigint;
  data: Uint8Array;
  /** Gas for execution, intrinsic gas already taken. */
  gasLimit: bigint;
  gasPrice: bigint;
  accessList?: Array<{ address: Uint8Array; storageKeys: Uint8Array[] }>;
}

/** An EVM log. */
export interface EvmLog {
  address: Uint8Array;
  topics: Uint8Array[];
  data: Uint8Array;
}

/** What a message did. */
export interface EvmOutcome {
  status: 'ok' | 'reverted' | 'failed';
  /** Return data (revert data when reverted). */
  output: Uint8Array;
  /** Why it failed (`failed` only), in runtime-sdk's words where they differ. */
  error?: string;
  createdAddress?: Uint8Array;
  /** Execution gas consumed, refunds not deducted. */
  gasUsed: bigint;
  /** Refund counter (uncapped; zero unless ok). */
  gasRefund: bigint;
  logs: EvmLog[];
  /** Accounts that executed SELFDESTRUCT. */
  selfDestructed: number;
}

const ERROR_WORDS: Record<string, string> = {
  'insufficient balance': 'out of funds',
  'invalid JUMP': 'invalid jump',
  'code size to deposit exceeds maximum code size': 'create contract limit',
};

/**
 * The chain configuration: our chain ID on the mainnet rules of `HARDFORK`, with the transaction
 * parameters merged in once (raw_tx.ts decodes with it) and transaction senders recovered through
 * libsecp256k1 (crypto/secp256k1_recover.ts).
 */
export function evmCommon(chainId: bigint): Common {
  return createCustomCommon({ chainId: Number(chainId), name: 'oasis-evm' }, Mainnet, {
    hardfork: HARDFORK,
    params: paramsTx,
    customCrypto: { ecrecover },
  });
}

/** An EVM bound to runtime state one run at a time (runs must not overlap). */
export class EvmEngine {
  readonly common: Common;
  readonly #evm: EVM;
  readonly #state: RuntimeStateManager;

  private constructor(common: Common, evm: EVM, state: RuntimeStateManager) {
    this.common = common;
    this.#evm = evm;
    this.#state = state;
  }

  /** Creates the engine for `chainId`, with a ParaTime's own precompiles beside Ethereum's. */
  static async create(
    chainId: bigint,
    precompiles: CustomPrecompile[] = [],
    storage: ContractStorage = PUBLIC_STORAGE,
  ): Promise<EvmEngine> {
    const common = evmCommon(chainId);
    const state = new RuntimeStateManager(storage);
    const evm = await createEVM({ common, stateManager: state, customPrecompiles: precompiles });
    return new EvmEngine(common, evm, state);
  }

  /** Runs `call` over `state`; `original` is the transaction-start state (storage gas refers to it). */
  async run(state: StateWriter, original: StateReader, call: EvmCall, block: EvmBlock): Promise<EvmOutcome> {
    const evm = this.#evm;
    this.#state.bind(state, original);
    evm.journal.cleanJournal();
    evm.transientStorage.clear();
    try {
      const caller = new Address(call.caller);
      evm.journal.addWarmedAddress(call.caller);
      if (call.to !== undefined) evm.journal.addWarmedAddress(call.to);
      evm.journal.addAlwaysWarmAddress(createZeroAddress().toString()); // EIP-3651: the coinbase.
      for (const address of evm.precompiles.keys()) evm.journal.addAlwaysWarmAddress(address);
      for (const { address, storageKeys } of call.accessList ?? []) {
        evm.journal.addAlwaysWarmAddress(bytesToHex(address), true);
        for (const key of storageKeys)
          evm.journal.addAlwaysWarmSlot(bytesToHex(address), bytesToHex(key), true);
      }
      const result = await evm.runCall({
        block: {
          header: {
            number: block.number,
            coinbase: createZeroAddress(),
            timestamp: block.timestamp,
            difficulty: 0n,
            prevRandao: new Uint8Array(32),
            gasLimit: block.gasLimit,
            baseFeePerGas: block.baseFee,
            getBlobGasPrice: () => 1n,
          },
        },
        gasPrice: call.gasPrice,
        origin: caller,
        caller,
        ...(call.to !== undefined ? { to: new Address(call.to) } : {}),
        value: call.value,
        data: call.data,
        gasLimit: call.gasLimit,
        skipNonceIncrement: true,
      });
      return outcome(result, call.gasLimit);
    } catch (err) {
      // Keys that could not be had are no property of the call: the batch or query fails instead.
      if (err instanceof KeyManagerUnavailableError) throw err;
      // Not an EVM halt but a library failure (e.g. an unavailable precompile): fail, using all gas.
      return {
        status: 'failed',
        output: new Uint8Array(0),
        error: (err as Error).message,
        gasUsed: call.gasLimit,
        gasRefund: 0n,
        logs: [],
        selfDestructed: 0,
      };
    } finally {
      this.#state.release();
      evm.journal.cleanJournal();
    }
  }
}

function outcome(result: EVMResult, gasLimit: bigint): EvmOutcome {
  const r = result.execResult;
  const err = r.exceptionError;
  const logs = (r.logs ?? []).map(([address, topics, data]) => ({ address, topics, data }));
  const base = {
    output: r.returnValue,
    gasUsed: r.executionGasUsed > gasLimit ? gasLimit : r.executionGasUsed,
    selfDestructed: r.selfdestruct?.size ?? 0,
  };
  if (err === undefined) {
    return {
      status: 'ok',
      ...base,
      ...(result.createdAddress !== undefined ? { createdAddress: result.createdAddress.bytes } : {}),
      gasRefund: r.gasRefund ?? 0n,
      logs,
    };
  }
  if (err.error === 'revert') return { status: 'reverted', ...base, gasRefund: 0n, logs: [] };
  return { status: 'failed', ...base, error: ERROR_WORDS[err.error] ?? err.error, gasRefund: 0n, logs: [] };
}
