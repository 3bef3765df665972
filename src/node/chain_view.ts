/**
 * The committed chain as the API reads it: state by height, blocks with their results, nonces and gas
 * estimates, readiness, and notifications of new blocks (for `WatchBlocks` and for `SubmitTx` waiting on
 * its transaction).
 */

import type { CommitParticipation, DashboardBackend } from '../api/dashboard/backend.ts';
import { prunedHeightError, resolveState, type StateByHeight } from '../api/queries.ts';
import type { ApiBlock, IncludedTx } from '../api/services/consensus.ts';
import { subscriptionStream } from '../api/subscription_stream.ts';
import { toHex } from '../codec/bytes.ts';
import type { CborValue } from '../codec/cbor.ts';
import { decodeCanonical, encodeCanonical } from '../codec/cbor.ts';
import type { AppEvent } from '../consensus/api/application.ts';
import { type Block, blockHash, encodeBlock, headerToCbor } from '../consensus/api/block.ts';
import { CommitFlag } from '../consensus/api/commit.ts';
import type { LightBlock } from '../consensus/api/light_block.ts';
import { ConsensusErrors, transactionDecoder, transactionHash } from '../consensus/api/transaction.ts';
import type { ChainState } from '../consensus/bft/chain_state.ts';
import { lightBlockAt } from '../consensus/bft/light_blocks.ts';
import { encodeGenesis, type GenesisDocument } from '../genesis/document.ts';
import { stateToGenesis } from '../genesis/state_to_genesis.ts';
import { MempoolErrors } from '../mempool/mempool.ts';
import type { EthIndexReader } from '../runtime/node/client/eth_index.ts';
import { getEpoch } from '../services/beacon/api/queries.ts';
import { ConsensusQueries } from '../services/consensus/api/queries.ts';
import { newBlockInfo } from '../services/mux/context.ts';
import type { ServiceMux } from '../services/mux/mux.ts';
import { RegistryStateReader } from '../services/registry/state.ts';
import { StakingStateReader } from '../services/staking/state.ts';
import type { StateReader, VersionedState } from '../state/api.ts';
import type { BlockResults, LmdbBlockStore } from '../storage/block_store.ts';
import { TxWaiters } from '../util/tx_waiters.ts';

/** How long `SubmitTx` waits for its transaction to be in a block before a coded error (mempool 2). */
export const SUBMIT_TX_TIMEOUT_MS = 120_000;

/** What the view reads from. */
export interface ChainViewOptions {
  chainContext: string;
  genesisHeight: number;
  genesisDocument: () => CborValue;
  genesis: GenesisDocument;
  state: VersionedState;
  store: LmdbBlockStore<ChainState>;
  mux: ServiceMux;
  isValidator: boolean;
  /** `SubmitTx`'s deadline (default `SUBMIT_TX_TIMEOUT_MS`). */
  submitTxTimeoutMs?: number;
}

/** A node's committed chain, for the API. */
export class ChainView implements StateByHeight, DashboardBackend {
  readonly #o: ChainViewOptions;
  readonly #txWaiters: TxWaiters<IncludedTx>;
  readonly #blockListeners = new Set<(b: ApiBlock) => void>();
  #ready = false;
  #peerKeys: { height: number; keys: Set<string> } | undefined;
  readonly #readyWaiters = new Set<() => void>();
  readonly #ethIndexes = new Map<string, EthIndexReader>();

  constructor(o: ChainViewOptions) {
    this.#o = o;
    this.#txWaiters = new TxWaiters({
      timeoutMs: o.submitTxTimeoutMs ?? SUBMIT_TX_TIMEOUT_MS,
      expired: (ms) => MempoolErrors.notDecided(ms),
    });
  }

  get chainContext(): string {
    return this.#o.chainContext;
  }
  get genesisHeight(): number {
    return this.#o.genesisHeight;
  }
  get isValidator(): boolean {
    return this.#o.isValidator;
  }
  genesisDocument(): CborValue {
    return this.#o.genesisDocument();
  }

  latestHeight(): number {
    return Math.min(this.#o.store.height(), this.#o.state.latestVersion());
  }

  /** Committed state at `height`; consensus/3 below the last retained height (pruned). */
  stateAt(height: number): StateReader {
    this.#refusePruned(height);
    return this.#o.state.at(height);
  }

  /** Lowest height whose block, results and state are kept (the genesis height until pruning starts). */
  lastRetainedHeight(): number {
    return Math.max(this.#o.genesisHeight, this.#o.store.retainedHeight());
  }

  /** Hash of the genesis-height block, known even once that block is pruned (empty before it exists). */
  genesisHash(): Uint8Array {
    const genesis = this.#o.store.block(this.#o.genesisHeight);
    if (genesis) return blockHash(genesis.header);
    return this.#o.store.firstBlockHash() ?? new Uint8Array(0);
  }

  /** Throws consensus/3 (version not found) for a height below the kept window. */
  #refusePruned(height: number): void {
    const retained = this.lastRetainedHeight();
    if (height > 0 && height < retained) throw prunedHeightError(height, retained);
  }

  /** Makes the Ethereum index of EVM ParaTime `runtimeId` (hex) readable through the view (the dashboard). */
  attachEthIndex(runtimeId: string, index: EthIndexReader): void {
    this.#ethIndexes.set(runtimeId, index);
  }

  ethIndex(runtimeId: string): EthIndexReader | undefined {
    return this.#ethIndexes.get(runtimeId);
  }

  /**
   * The light block of `height` (0 = latest: header, commit, deciding set) with the height it is for;
   * consensus/3 when pruned, not committed yet, or not kept.
   */
  lightBlock(height: number): { height: number; block: LightBlock } {
    const h = this.committedHeight(height);
    const block = lightBlockAt(this.#o.store, h);
    if (block === undefined) throw ConsensusErrors.versionNotFound(`light block ${h} is not available`);
    return { height: h, block };
  }

  /** The consensus parameters in effect at `height` (0 = latest), CBOR-ready; consensus/3 when not kept. */
  consensusParameters(height: number): { height: number; parameters: CborValue } {
    const h = this.committedHeight(height);
    return { height: h, parameters: ConsensusQueries.parametersCbor(resolveState(this, h)) as CborValue };
  }

  /** `height` (0 = latest) when it is committed and retained; consensus/3 otherwise. */
  committedHeight(height: number): number {
    const latest = this.latestHeight();
    if (latest === 0) throw ConsensusErrors.noCommittedBlocks();
    const h = height === 0 ? latest : height;
    this.#refusePruned(h);
    if (h > latest)
      throw ConsensusErrors.versionNotFound(`height ${h} is not committed yet (latest ${latest})`);
    return h;
  }

  /** A stored block in the API's shape; undefined when not stored (or pruned). */
  block(height: number): ApiBlock | undefined {
    const block = this.#o.store.block(height);
    if (!block) return undefined;
    return this.#apiBlock(block, blockHash(block.header), this.#o.store.results(height));
  }

  #apiBlock(block: Block, hash: Uint8Array, results: BlockResults | undefined): ApiBlock {
    const height = block.header.height;
    return {
      height,
      hash,
      time: Math.floor(block.header.time / 1000),
      stateRoot: results?.appHash ?? new Uint8Array(32),
      size: this.#o.store.blockSize(height) || encodeBlock(block).length,
      meta: encodeCanonical(headerToCbor(block.header)),
      txs: block.txs,
      results: results?.txResults ?? [],
    };
  }

  /** The validator set that decided block `height` (kept with the chain state) and who signed its commit. */
  commitParticipation(height: number): CommitParticipation | undefined {
    const commit = this.#o.store.commit(height);
    const deciders = this.#o.store.stateAt(height)?.lastValidators?.validators;
    if (!commit || !deciders) return undefined;
    const validators = deciders.map((v) => v.publicKey);
    const signed = validators.filter((_, i) => commit.signatures[i]?.flag === CommitFlag.commit);
    return { validators, signed };
  }

  /** True when `peerKeyHex` is the P2P key of a node registered at the latest height (true before any). */
  isRegisteredPeer(peerKeyHex: string): boolean {
    const latest = this.latestHeight();
    if (latest === 0) return true;
    if (this.#peerKeys?.height !== latest) {
      const keys = new Set(new RegistryStateReader(this.stateAt(latest)).nodes().map((n) => toHex(n.p2p.id)));
      this.#peerKeys = { height: latest, keys };
    }
    return this.#peerKeys.keys.has(peerKeyHex);
  }

  /** A genesis document recreating the state at `height` (0 = latest), as its CBOR value. */
  stateToGenesis(height: number): CborValue {
    const h = height === 0 ? this.latestHeight() : height;
    this.#refusePruned(h);
    const block = this.#o.store.block(h);
    if (!block) throw ConsensusErrors.versionNotFound(`block ${h} is not available`);
    const doc = stateToGenesis(this.#o.genesis, this.stateAt(h), h, Math.floor(block.header.time / 1000));
    return decodeCanonical(encodeGenesis(doc));
  }

  /** Every event of the block at `height`: its transactions' events, then begin/end block events. */
  eventsAt(height: number): AppEvent[] | undefined {
    const results = this.#o.store.results(height);
    if (!results) return undefined;
    return [...results.txResults.flatMap((r) => r.events), ...results.events];
  }

  /** The staking nonce of an account at `height` (0 = latest). */
  signerNonce(address: Uint8Array, height: number): bigint {
    const h = height === 0 ? this.latestHeight() : height;
    return new StakingStateReader(this.stateAt(h)).account(address).general.nonce;
  }

  /** Gas an unsigned transaction would use from `signer`, against the latest state. */
  estimateGas(signer: Uint8Array, txCbor: CborValue): bigint {
    const latest = this.latestHeight();
    const tx = transactionDecoder(txCbor, 'transaction');
    return this.#o.mux.estimateGasFor(this.stateAt(latest), newBlockInfo(latest + 1, 0), signer, tx);
  }

  /** The consensus `min_gas_price` in effect at the latest height (0 before the first block). */
  minGasPrice(): bigint {
    const latest = this.latestHeight();
    return latest > 0 ? (ConsensusQueries.parameters(this.stateAt(latest)).min_gas_price ?? 0n) : 0n;
  }

  /** The epoch at the latest height. */
  latestEpoch(): bigint {
    const latest = this.latestHeight();
    return latest > 0 ? getEpoch(this.stateAt(latest)) : 0n;
  }

  /**
   * Resolves with the result and place of the transaction with this hash once it is committed; fails when `signal`
   * aborts or after the deadline. Every caller waiting on the same hash gets the result.
   */
  waitForTx(hash: Uint8Array, signal: AbortSignal): Promise<IncludedTx> {
    return this.#txWaiters.wait(hash, signal);
  }

  /** Fails the callers waiting on a transaction that will not be in a block (the mempool dropped it). */
  failTx(hash: Uint8Array, reason: Error): void {
    this.#txWaiters.fail(hash, reason);
  }

  /** Called by the node for every committed block. */
  onCommit(block: Block, hash: Uint8Array, results: BlockResults | undefined): void {
    block.txs.forEach((tx, i) => {
      const result = results?.txResults[i] ?? { events: [], gasUsed: 0n };
      this.#txWaiters.settle(transactionHash(tx), { result, height: block.header.height, index: i });
    });
    if (this.#blockListeners.size > 0) {
      const b = this.#apiBlock(block, hash, results);
      for (const listener of this.#blockListeners) listener(b);
    }
  }

  /** Streams committed blocks until `signal` aborts. */
  watchBlocks(signal: AbortSignal): AsyncIterable<ApiBlock> {
    return subscriptionStream<ApiBlock>((push) => {
      this.#blockListeners.add(push);
      return () => this.#blockListeners.delete(push);
    }, signal);
  }

  /** Marks the node ready (started and serving). */
  markReady(): void {
    this.#ready = true;
    for (const w of this.#readyWaiters) w();
    this.#readyWaiters.clear();
  }

  isReady(): boolean {
    return this.#ready;
  }

  /** Synced when ready and the latest block is recent (within a minute of the wall clock). */
  isSynced(): boolean {
    if (!this.#ready) return false;
    const latest = this.#o.store.block(this.latestHeight());
    return latest !== undefined && Date.now() - latest.header.time < 60_000;
  }

  /** Resolves when ready. */
  waitReady(signal: AbortSignal): Promise<void> {
    if (this.#ready) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.#readyWaiters.add(resolve);
      signal.addEventListener('abort', () => reject(new Error('cancelled')));
    });
  }

  /** Fails every pending waiter (the node is stopping). */
  close(): void {
    this.#txWaiters.failAll(new Error('node stopping'));
  }
}
