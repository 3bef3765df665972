/**
 * The service multiplexer: one ABCI-shaped state machine built from services. It runs genesis, begin
 * block (services in name order), each transaction through the pipeline, end block (name order) and an
 * optional sanity check, collecting typed events and per-transaction results.
 */

import { bytesEqual } from '../../codec/bytes.ts';
import { U64_MAX } from '../../codec/schema.ts';
import type {
  AppEvent,
  BlockContext,
  CheckTxResponse,
  TxResult,
  ValidatorUpdate,
} from '../../consensus/api/application.ts';
import {
  encodeSignedTransaction,
  encodeTransaction,
  type OpenedTransaction,
  preopenSignedTransaction,
  type Transaction,
  TxErrors,
  transactionHash,
} from '../../consensus/api/transaction.ts';
import { SIGNATURE_SIZE } from '../../crypto/ed25519.ts';
import type { AsyncVerifier } from '../../crypto/verify_pool.ts';
import type { StateReader, StateWriter } from '../../state/api.ts';
import { StateOverlay } from '../../state/overlay.ts';
import { type BlockInfo, newBlockInfo, ServiceContext } from './context.ts';
import type { EpochSource } from './epoch.ts';
import { GasMeter, UNLIMITED_GAS } from './gas.ts';
import type { TxPipelineParametersProvider } from './params.ts';
import { decodeTx, gasPrice, processTx } from './pipeline.ts';
import { toResultError } from './result.ts';
import type { ConsensusService, GenesisSections, TransactionAuthHandler } from './service.ts';
import type { UpgradeHook } from './upgrade_hook.ts';

/** How a mux is assembled. */
export interface MuxOptions {
  services: ConsensusService[];
  /** Fee/nonce handler (the staking service). */
  authHandler?: TransactionAuthHandler;
  epochs: EpochSource;
  /** Chain context transactions are signed for. */
  chainContext: string;
  parameters: TxPipelineParametersProvider;
  /** Local mempool filter (CheckTx only, never consensus): lowest gas price accepted from others. */
  localMinGasPrice?: bigint;
  /** This node's own transaction signer, exempt from `localMinGasPrice` (as in oasis-core). */
  ownTxSigner?: Uint8Array;
  /** Run every service's sanity check after each block (debug; costs a full state scan). */
  sanityChecks?: boolean;
  /** Verifies transaction signatures off the calling thread for `preverify` (e.g. a worker pool). */
  verifier?: AsyncVerifier;
  /** The node's upgrade manager (absent in tests and tools that only execute blocks). */
  upgrades?: UpgradeHook;
}

/** What a block's execution produced. */
export interface BlockExecution {
  txResults: TxResult[];
  /** Begin/end block events. */
  events: AppEvent[];
  validatorUpdates: ValidatorUpdate[];
}

/** Runs services over a state. Holds no state of its own between calls. */
export class ServiceMux {
  readonly services: readonly ConsensusService[];
  readonly #byMethod = new Map<string, ConsensusService>();
  readonly #opts: MuxOptions;

  constructor(opts: MuxOptions) {
    this.#opts = opts;
    this.services = [...opts.services].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const names = new Set<string>();
    for (const s of this.services) {
      if (names.has(s.name)) throw new Error(`mux: duplicate service ${s.name}`);
      names.add(s.name);
      for (const m of s.methods) {
        if (this.#byMethod.has(m)) throw new Error(`mux: method ${m} registered twice`);
        this.#byMethod.set(m, s);
      }
    }
  }

  #ctx(mode: ServiceContext['mode'], state: StateWriter, block: BlockInfo): ServiceContext {
    return new ServiceContext({ mode, block, state, epochs: this.#opts.epochs });
  }

  /** Loads every service's genesis section; returns the genesis validator set and events. */
  initChain(
    state: StateWriter,
    height: number,
    time: number,
    genesis: GenesisSections,
  ): { events: AppEvent[]; validatorUpdates: ValidatorUpdate[] } {
    const ctx = this.#ctx('init', state, newBlockInfo(height, time));
    const validatorUpdates: ValidatorUpdate[] = [];
    for (const s of this.services) {
      const updates = s.initChain?.(ctx, genesis);
      if (updates) validatorUpdates.push(...updates);
    }
    this.#sanity(state, ctx.block);
    return { events: ctx.events, validatorUpdates };
  }

  /** A block info for `req`, with the block gas budget from the consensus parameters. */
  newBlock(state: StateWriter, req: BlockContext): BlockInfo {
    const params = this.#opts.parameters(state);
    return newBlockInfo(
      req.height,
      req.time,
      req.proposer,
      req.lastCommit,
      req.misbehavior,
      params.maxBlockGas,
      params.minGasPrice,
    );
  }

  /** Runs every service's BeginBlock in name order. */
  beginBlock(state: StateWriter, block: BlockInfo): AppEvent[] {
    const ctx = this.#ctx('begin', state, block);
    this.#opts.upgrades?.beginBlock(ctx);
    for (const s of this.services) s.beginBlock?.(ctx);
    return ctx.events;
  }

  /** Executes one transaction of a block. Failures are results, never throws. */
  deliverTx(state: StateWriter, block: BlockInfo, raw: Uint8Array): TxResult {
    const params = this.#opts.parameters(state);
    const ctx = this.#ctx('deliver', state, block);
    try {
      const opened = decodeTx(raw, params, this.#opts.chainContext);
      ctx.txHash = opened.hash;
      ctx.txSigner = opened.signer;
      processTx(ctx, opened, raw.length, params, this.#deps());
      return { events: ctx.events, gasUsed: ctx.gas.used };
    } catch (err) {
      return { error: toResultError(err), events: [], gasUsed: ctx.gas.used };
    }
  }

  /** Runs every service's EndBlock in name order, then the sanity checks if enabled. */
  endBlock(
    state: StateWriter,
    block: BlockInfo,
  ): { events: AppEvent[]; validatorUpdates: ValidatorUpdate[] } {
    const ctx = this.#ctx('end', state, block);
    const validatorUpdates: ValidatorUpdate[] = [];
    for (const s of this.services) {
      const updates = s.endBlock?.(ctx);
      if (updates) validatorUpdates.push(...updates);
    }
    this.#opts.upgrades?.endBlock(ctx);
    this.#sanity(state, block);
    return { events: ctx.events, validatorUpdates };
  }

  /** Executes a whole block: begin block, every transaction in order, end block. */
  executeBlock(state: StateWriter, req: BlockContext & { txs: Uint8Array[] }): BlockExecution {
    const block = this.newBlock(state, req);
    const events = this.beginBlock(state, block);
    const txResults = req.txs.map((tx) => this.deliverTx(state, block, tx));
    const end = this.endBlock(state, block);
    return { txResults, events: [...events, ...end.events], validatorUpdates: end.validatorUpdates };
  }

  /**
   * Mempool check against `checkState` (the latest state plus accepted mempool txs). On success the fee
   * is debited and the nonce bumped in `checkState`, so the sender's next transaction validates.
   * `localFilter` applies this node's own min gas price (never for consensus decisions).
   */
  checkTx(checkState: StateWriter, raw: Uint8Array, height: number, localFilter = true): CheckTxResponse {
    const params = this.#opts.parameters(checkState);
    const ctx = this.#ctx('check', checkState, newBlockInfo(height, 0));
    try {
      // Admission only: a proposal's validity never depends on this node's upgrade record.
      if (localFilter) this.#opts.upgrades?.checkTx(height - 1);
      const opened = decodeTx(raw, params, this.#opts.chainContext);
      ctx.txHash = opened.hash;
      ctx.txSigner = opened.signer;
      const fee = opened.tx.fee;
      const own = this.#opts.ownTxSigner !== undefined && bytesEqual(this.#opts.ownTxSigner, opened.signer);
      const local = localFilter && !own ? (this.#opts.localMinGasPrice ?? 0n) : 0n;
      if (local > 0n && fee !== undefined && fee.gas > 0n && gasPrice(fee.amount, fee.gas) < local) {
        throw TxErrors.gasPriceTooLow();
      }
      const service = processTx(ctx, opened, raw.length, params, this.#deps());
      return {
        priority: service.priority,
        sender: opened.signer,
        nonce: opened.tx.nonce,
        gasWanted: fee?.gas ?? 0n,
      };
    } catch (err) {
      return { error: toResultError(err), priority: 0n, gasWanted: 0n };
    }
  }

  /**
   * Verifies the signatures of `txs` ahead of `checkTx`/`executeBlock`, in parallel on the verifier, and
   * caches the openings those then find (a no-op without a verifier). Changes no result: a transaction
   * that does not open here is opened and rejected as before.
   */
  async preverify(txs: readonly Uint8Array[]): Promise<void> {
    const verify = this.#opts.verifier;
    if (verify === undefined) return;
    await Promise.all(txs.map((tx) => preopenSignedTransaction(tx, this.#opts.chainContext, verify)));
  }

  /** Gas a signed transaction would use, ignoring whether it would succeed. */
  estimateGas(state: StateReader, block: BlockInfo, raw: Uint8Array): bigint {
    const params = this.#opts.parameters(state);
    let opened: OpenedTransaction;
    try {
      opened = decodeTx(raw, params, this.#opts.chainContext);
    } catch {
      return 0n;
    }
    return this.#simulate(state, block, opened, raw.length);
  }

  /**
   * Gas `tx` would use when signed by `signer` (oasis-core `EstimateGas`, which takes an unsigned
   * transaction): sized as if it carried a signature and the largest possible fee gas — so setting the
   * estimate as the fee cannot grow the transaction past it — executed in simulation, outcome ignored.
   */
  estimateGasFor(state: StateReader, block: BlockInfo, signer: Uint8Array, tx: Transaction): bigint {
    const sized = encodeSignedTransaction({
      untrusted_raw_value: encodeTransaction({ ...tx, fee: { amount: tx.fee?.amount ?? 0n, gas: U64_MAX } }),
      signature: { public_key: signer, signature: new Uint8Array(SIGNATURE_SIZE) },
    });
    return this.#simulate(state, block, { tx, signer, hash: transactionHash(sized) }, sized.length);
  }

  /** Runs an opened transaction in simulation and returns the gas it used (whatever the outcome). */
  #simulate(state: StateReader, block: BlockInfo, opened: OpenedTransaction, rawLength: number): bigint {
    const params = this.#opts.parameters(state);
    const ctx = this.#ctx('simulate', new StateOverlay(state), block);
    ctx.gas = new GasMeter(UNLIMITED_GAS);
    ctx.txSigner = opened.signer;
    try {
      processTx(ctx, opened, rawLength, params, this.#deps());
    } catch {
      // Only the gas matters here.
    }
    return ctx.gas.used;
  }

  #deps() {
    return {
      chainContext: this.#opts.chainContext,
      servicesByMethod: this.#byMethod,
      authHandler: this.#opts.authHandler,
    };
  }

  /**
   * Runs every service's invariant checks over `state` (throws on the first violation). `blockValues`
   * carries block-scoped amounts not yet in state (e.g. collected fees) when called mid-block.
   */
  sanityCheck(state: StateReader, blockValues: ReadonlyMap<string, unknown> = new Map()): void {
    for (const s of this.services) s.sanityCheck?.(state, { values: blockValues });
  }

  #sanity(state: StateWriter, block: BlockInfo): void {
    if (this.#opts.sanityChecks) this.sanityCheck(state, block.values);
  }
}
