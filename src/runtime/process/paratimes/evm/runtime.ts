/**
 * The EVM ParaTime as a `RuntimeApp`: runtime-sdk's accounts and consensus-accounts modules (SDK-signed
 * transactions, deposits from incoming consensus messages, withdrawals) plus the `evm` module executing raw
 * Ethereum transactions over the same accounts. The EVM is asynchronous, so the app's answers are
 * promises; runs are serialized, one EVM use at a time.
 */
import type { CborValue } from '../../../../codec/cbor.ts';
import type { StateReader, StateWriter } from '../../../../state/api.ts';
import { RhpErrorCode, rhpError } from '../../../protocol/errors.ts';
import type {
  BlockContext,
  CheckTxResult,
  RuntimeExecuteTxBatchRequest,
  RuntimeInfoRequest,
  WriteLogEntry,
} from '../../../protocol/types.ts';
import type { BatchOutcome, RuntimeApp } from '../../sdk/app.ts';
import { encodeCallResult, failOutcome } from '../../sdk/call_result.ts';
import { runtimeSignatureContext } from '../../sdk/transaction.ts';
import { VerifiedTxCache } from '../../sdk/verify_cache.ts';
import { beginBatch, endBatch } from '../accounts/batch_bounds.ts';
import {
  checkTx as checkSdkTx,
  executeTx as executeSdkTx,
  type TxEnvironment,
  type TxOutcome,
} from '../accounts/dispatch.ts';
import { oasisAddressOfEth } from './address.ts';
import { EthTxDecoder } from './decode_cache.ts';
import { type EvmBlock, EvmEngine } from './engine.ts';
import { ethereumPayload } from './envelope.ts';
import { admitEthTx, type EthEnvironment, ethMetadata, executeEthTx, isFutureNonce } from './eth_tx.ts';
import { decodeEvmConfig, evmGenesis } from './genesis.ts';
import { EVM_SCALING_FACTOR } from './params.ts';
import { evmQuery } from './queries.ts';

interface Environment extends EthEnvironment {
  accounts: TxEnvironment;
}

/** The EVM ParaTime. */
export class EvmRuntime implements RuntimeApp {
  readonly version = Object.freeze({ major: 0, minor: 1 });
  #env: Promise<Environment> | null = null;
  #queue: Promise<unknown> = Promise.resolve();

  init(info: RuntimeInfoRequest): WriteLogEntry[] {
    const config = decodeEvmConfig(info.local_config);
    const accounts: TxEnvironment = {
      verifier: new VerifiedTxCache(runtimeSignatureContext(info.runtime_id, info.consensus_chain_context)),
      minGasPrice: config.minGasPrice,
      version: this.version,
      scalingFactor: EVM_SCALING_FACTOR,
    };
    this.#env = EvmEngine.create(config.chainId).then((engine) => ({
      engine,
      decoder: new EthTxDecoder(engine.common, config.minGasPrice),
      accounts,
      minGasPrice: config.minGasPrice,
      maxBatchGas: config.maxBatchGas,
    }));
    return evmGenesis(config);
  }

  async checkTx(state: StateReader, raw: Uint8Array, block: BlockContext): Promise<CheckTxResult> {
    const env = await this.#environment();
    let payload: Uint8Array | null = null;
    try {
      payload = ethereumPayload(raw);
      if (payload === null) return checkSdkTx(env.accounts, state, raw, block);
      return { error: {}, meta: ethMetadata(admitEthTx(env, state, raw, payload, true)) };
    } catch (err) {
      const fail = failOutcome(err);
      if (!('fail' in fail)) return { error: {} };
      if (payload !== null && isFutureNonce(err)) {
        // A future nonce still carries ordering metadata, so a pool may hold it until the gap closes.
        const eth = env.decoder.decode(payload);
        return { error: fail.fail, meta: ethMetadata({ eth, caller: oasisAddressOfEth(eth.sender) }) };
      }
      return { error: fail.fail };
    }
  }

  executeBatch(state: StateWriter, request: RuntimeExecuteTxBatchRequest): Promise<BatchOutcome> {
    return this.#exclusive(async () => {
      const env = await this.#environment();
      const batch = beginBatch(state, request, env.accounts.scalingFactor);
      const block = this.#block(env, request.round, request.timestamp);
      const outcomes: TxOutcome[] = [];
      for (const raw of request.inputs) {
        let payload: Uint8Array | null = null;
        try {
          payload = ethereumPayload(raw);
        } catch (err) {
          outcomes.push({ result: encodeCallResult(failOutcome(err)), events: [] });
          continue;
        }
        outcomes.push(
          payload === null
            ? executeSdkTx(env.accounts, state, raw, request.round, batch.budget)
            : await executeEthTx(env, state, raw, payload, block),
        );
      }
      endBatch(state, batch);
      return {
        results: outcomes.map((o) => o.result),
        events: outcomes.map((o) => o.events),
        blockEvents: batch.blockEvents,
        messages: batch.budget.emitted,
        inMessagesProcessed: request.in_msgs.length,
      };
    });
  }

  query(state: StateReader, method: string, args: CborValue, block: BlockContext): Promise<CborValue> {
    return this.#exclusive(async () => {
      const env = await this.#environment();
      // Queries carry no timestamp: TIMESTAMP reads 0 in simulations.
      return evmQuery(env.engine, env.accounts, state, method, args, this.#block(env, block.round, 0n));
    });
  }

  #block(env: Environment, round: bigint, timestamp: bigint): EvmBlock {
    return { number: round, timestamp, gasLimit: env.maxBatchGas, baseFee: env.minGasPrice };
  }

  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(fn, fn);
    this.#queue = run.catch(() => {});
    return run;
  }

  #environment(): Promise<Environment> {
    if (this.#env === null) throw rhpError(RhpErrorCode.handshake, 'runtime not initialized');
    return this.#env;
  }
}
