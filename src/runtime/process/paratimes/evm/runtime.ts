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
import type { BatchOutcome, RuntimeApp, RuntimeHostCalls } from '../../sdk/app.ts';
import { encodeCallResult, failOutcome } from '../../sdk/call_result.ts';
import { runtimeChainContext, runtimeSignatureContext } from '../../sdk/transaction.ts';
import { VerifiedTxCache } from '../../sdk/verify_cache.ts';
import { beginBatch, endBatch } from '../accounts/batch_bounds.ts';
import {
  checkTx as checkSdkTx,
  executeTx as executeSdkTx,
  type TxEnvironment,
  type TxOutcome,
} from '../accounts/dispatch.ts';
import { CallDataKeys } from '../sapphire/call_data_keys.ts';
import { ConfidentialCalls, QUERY_POSITION } from '../sapphire/confidential.ts';
import { ContractStateKeys, confidentialStorage } from '../sapphire/confidential_storage.ts';
import { CryptoPrecompiles } from '../sapphire/crypto_precompiles.ts';
import { sha2Precompiles } from '../sapphire/sha2_precompiles.ts';
import { CALL_DATA_PUBLIC_KEY_METHOD, SubcallPrecompile } from '../sapphire/subcall.ts';
import { oasisAddressOfEth } from './address.ts';
import type { ContractStorage } from './contract_storage.ts';
import { EthTxDecoder } from './decode_cache.ts';
import { type EvmBlock, EvmEngine } from './engine.ts';
import { ethereumPayload } from './envelope.ts';
import { admitEthTx, type EthEnvironment, ethMetadata, executeEthTx, isFutureNonce } from './eth_tx.ts';
import { decodeEvmConfig, evmGenesis } from './genesis.ts';
import { EVM_SCALING_FACTOR } from './params.ts';
import { evmQuery } from './queries.ts';

interface Environment extends EthEnvironment {
  accounts: TxEnvironment;
  /** Present on a confidential EVM. */
  confidential?: {
    calls: ConfidentialCalls;
    subcall: SubcallPrecompile;
    crypto: CryptoPrecompiles;
    storage: ContractStorage;
  };
}

/** How the EVM ParaTime runs. */
export interface EvmRuntimeOptions {
  /** Sapphire-style confidential calls (keys from the key manager, through the host). */
  confidential?: boolean;
}

/** The EVM ParaTime. */
export class EvmRuntime implements RuntimeApp {
  readonly version = Object.freeze({ major: 0, minor: 1 });
  readonly #options: EvmRuntimeOptions;
  #host: RuntimeHostCalls | null = null;
  #env: Promise<Environment> | null = null;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: EvmRuntimeOptions = {}) {
    this.#options = options;
  }

  attachHost(host: RuntimeHostCalls): void {
    this.#host = host;
  }

  init(info: RuntimeInfoRequest): WriteLogEntry[] {
    const config = decodeEvmConfig(info.local_config);
    const accounts: TxEnvironment = {
      verifier: new VerifiedTxCache(runtimeSignatureContext(info.runtime_id, info.consensus_chain_context)),
      minGasPrice: config.minGasPrice,
      version: this.version,
      scalingFactor: EVM_SCALING_FACTOR,
    };
    const confidential = this.#confidential(info, config.maxEphemeralKeyAge);
    const engine = confidential
      ? EvmEngine.create(
          config.chainId,
          [confidential.subcall.precompile(), ...confidential.crypto.precompiles(), ...sha2Precompiles()],
          confidential.storage,
        )
      : EvmEngine.create(config.chainId, sha2Precompiles());
    this.#env = engine.then((engine) => ({
      engine,
      decoder: new EthTxDecoder(engine.common, config.minGasPrice),
      accounts,
      minGasPrice: config.minGasPrice,
      maxBatchGas: config.maxBatchGas,
      ...(confidential ? { confidential } : {}),
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
      await this.#prepareKeys(env, request.epoch);
      const outcomes: TxOutcome[] = [];
      for (const [index, raw] of request.inputs.entries()) {
        let payload: Uint8Array | null = null;
        try {
          payload = ethereumPayload(raw);
        } catch (err) {
          outcomes.push({ result: encodeCallResult(failOutcome(err)), events: [] });
          continue;
        }
        const confidential = env.confidential;
        if (payload !== null && confidential !== undefined)
          confidential.crypto.seed(await confidential.calls.randomSeed(request.epoch, request.round, index));
        outcomes.push(
          payload === null
            ? executeSdkTx(env.accounts, state, raw, request.round, batch.budget)
            : await executeEthTx(
                env,
                state,
                raw,
                payload,
                block,
                env.confidential?.calls.txOpener(request.epoch, request.round, index),
              ),
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
      const confidential = env.confidential;
      if (confidential !== undefined) {
        await this.#prepareKeys(env, block.epoch);
        if (method === CALL_DATA_PUBLIC_KEY_METHOD) return confidential.calls.callDataPublicKey(block.epoch);
        confidential.crypto.seed(
          await confidential.calls.randomSeed(block.epoch, block.round, QUERY_POSITION),
        );
      }
      // Queries carry no timestamp: TIMESTAMP reads 0 in simulations.
      return evmQuery(
        env.engine,
        env.accounts,
        state,
        method,
        args,
        this.#block(env, block.round, 0n),
        confidential?.calls.queryMode(block.epoch),
      );
    });
  }

  /** A confidential EVM's parts, or undefined on a plain one. */
  #confidential(info: RuntimeInfoRequest, maxKeyAge?: bigint): Environment['confidential'] {
    if (this.#options.confidential !== true) return undefined;
    if (this.#host === null) throw rhpError(RhpErrorCode.handshake, 'a confidential runtime needs its host');
    const keys = new CallDataKeys(
      this.#host,
      runtimeChainContext(info.runtime_id, info.consensus_chain_context),
    );
    return {
      calls: new ConfidentialCalls(keys, maxKeyAge),
      subcall: new SubcallPrecompile(),
      crypto: new CryptoPrecompiles(),
      storage: confidentialStorage(new ContractStateKeys(this.#host)),
    };
  }

  /** Fetches (once per epoch) the call-data key the SUBCALL precompile publishes during the runs that follow. */
  async #prepareKeys(env: Environment, epoch: bigint): Promise<void> {
    if (env.confidential === undefined) return;
    env.confidential.subcall.setCallDataPublicKey(await env.confidential.calls.callDataPublicKey(epoch));
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
