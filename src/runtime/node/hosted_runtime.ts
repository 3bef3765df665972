/**
 * One ParaTime hosted by this node: its supervised runtime process with persistent state, its transaction
 * pool and history, its gossip (transactions and proposals on per-runtime topics), state serving, and the
 * executor worker that plays this node's part in the runtime's rounds. The node feeds it every committed
 * consensus block; clients reach it through the RuntimeClient API.
 *
 * The state of every finalized round its history lists is retained (on disk, not in memory), so a query at
 * any kept round is answered; keep_last pruning lets go of a round's state with its history. An archive
 * node (`startArchive`) runs only the runtime process, for queries over what the data directory kept.
 */
import { join } from 'node:path';
import type { Logger } from 'pino';
import { bytesEqual, fromHex, toHex } from '../../codec/bytes.ts';
import type { CborValue } from '../../codec/cbor.ts';
import type { UnsignedTransaction } from '../../consensus/api/transaction.ts';
import { sha512_256 } from '../../crypto/hash.ts';
import type { NodeIdentity } from '../../crypto/signer/node_identity.ts';
import { CodedError } from '../../errors.ts';
import type { GossipVerdict, P2PHost } from '../../p2p/api.ts';
import { decodeTxBatch, TxBatchPublisher } from '../../p2p/tx_batch.ts';
import type { Block } from '../../services/roothash/api/block.ts';
import { RoothashErrors } from '../../services/roothash/api/errors.ts';
import { executorCommitBodyCodec, RoothashMethods } from '../../services/roothash/api/methods.ts';
import type { StateReader } from '../../state/api.ts';
import { paraTime } from '../process/paratimes/catalog.ts';
import type { CheckTxResult } from '../protocol/types.ts';
import type { RuntimeChainReads } from './chain_reads.ts';
import {
  type AnnotatedBlock,
  ROUND_LATEST,
  RuntimeClientErrors,
  type SubmittedTx,
  type TransactionWithResult,
} from './client/api.ts';
import { isFutureNonce } from './executor/batch_select.ts';
import { CheckBatcher } from './executor/check_batcher.ts';
import { RuntimeHistory } from './executor/history.ts';
import { RuntimeHistoryPruner } from './executor/history_pruner.ts';
import { decodeProposal, encodeProposal } from './executor/proposal.ts';
import { RoundLogsFetcher } from './executor/round_logs.ts';
import { blockContextOf, type RoundView, roundView } from './executor/round_view.ts';
import { RuntimeTxPool, TxPoolErrors } from './executor/tx_pool.ts';
import { ExecutorWorker } from './executor/worker.ts';
import { RuntimeHost } from './host/host.ts';
import { KeyManagerClient } from './keymanager/client.ts';
import type { KeyManagerRegistryReads } from './keymanager/registry_reads.ts';
import {
  defaultRuntimePruneOptions,
  defaultTxPoolOptions,
  type ExecutorMode,
  type RuntimeConfig,
} from './options.ts';
import { RuntimeCheckpoints } from './state/checkpoints.ts';
import { LmdbTreeStore } from './state/lmdb_tree_store.ts';

/** Gossip topics and protocols of one runtime on one chain. */
export function runtimeTopics(chainContext: string, runtimeId: Uint8Array) {
  const id = toHex(runtimeId);
  return {
    txs: `oasis-ts/${chainContext}/runtime/${id}/txs/2`,
    committee: `oasis-ts/${chainContext}/runtime/${id}/committee/1`,
    checkpoints: `/oasis-ts/${chainContext}/runtime-checkpoints/${id}/1`,
    roundLogs: `/oasis-ts/${chainContext}/runtime-round-logs/${id}/1`,
  };
}

/** Largest runtime transaction accepted. */
export const MAX_RUNTIME_TX_BYTES = 64 * 1024;

/** Sends the node's own consensus transactions (executor commitments), nonce and fee filled in. */
export interface ConsensusTxSender {
  send(
    state: StateReader,
    height: number,
    tx: Omit<UnsignedTransaction, 'nonce' | 'fee'>,
    gas: bigint,
  ): Promise<void>;
}

/** What a hosted runtime needs from its node. */
export interface HostedRuntimeOptions {
  config: RuntimeConfig;
  dataDir: string;
  chainContext: string;
  identity: NodeIdentity;
  p2p: P2PHost;
  sender: ConsensusTxSender;
  mode: ExecutorMode;
  maxGossipBytes: number;
  /** Committed consensus state at a height (the anchor of a runtime round). */
  stateAt(height: number): StateReader;
  /** Typed reads of the runtime's consensus-side state. */
  reads: RuntimeChainReads;
  /** Registry reads that lead a confidential runtime to its key manager's nodes. */
  keyManagerReads: KeyManagerRegistryReads;
  /** The latest committed consensus state (undefined before the first block). */
  latestState(): StateReader | undefined;
  log: Logger;
}

/**
 * The directory name of a runtime's state, history and host socket: the last 16 hex digits of its ID,
 * where runtime IDs differ (the first 16 are flags, the same for every test runtime, and zero on mainnet);
 * short because the host socket's path must stay under the UNIX limit.
 */
export function runtimeDirName(idHex: string): string {
  return idHex.slice(-16);
}

/** A query at a round whose state this node does not hold (pruned, or never fetched here). */
function stateNotKept(round: bigint): CodedError {
  return RuntimeClientErrors.notFound(
    `state of round ${round}: not kept by this node (pruned per runtimes[].prune, or never held here)`,
  );
}

/** Throws `checkTxFailed` with the runtime's error when a check refused the transaction. */
function throwIfRefused(checked: CheckTxResult): void {
  if ((checked.error.code ?? 0) !== 0) throw RuntimeClientErrors.checkTxFailed(checked.error);
}

/** A ParaTime this node hosts. */
export class HostedRuntime {
  readonly id: Uint8Array;
  readonly host: RuntimeHost;
  readonly #o: HostedRuntimeOptions;
  readonly #state: LmdbTreeStore;
  /** Checkpoints of the state at finalized rounds: served to peers, restored from when state is missing. */
  readonly #checkpoints: RuntimeCheckpoints;
  readonly #history: RuntimeHistory;
  readonly #historyPruner: RuntimeHistoryPruner;
  readonly #pool: RuntimeTxPool;
  readonly #worker: ExecutorWorker;
  /** Admission checks, one runtime-host call per batch of arrivals, against the latest state then. */
  readonly #checks = new CheckBatcher(async (inputs) => {
    const res = await this.host.checkTxBatch({ ...blockContextOf(this.#latest()), inputs });
    return res.results;
  });
  readonly #topics: ReturnType<typeof runtimeTopics>;
  /** Gossips admitted client transactions to the other nodes of the runtime, in batches. */
  readonly #txGossip: TxBatchPublisher;
  readonly #watchers = new Set<(b: AnnotatedBlock) => void>();
  /** Set once the node stops the runtime (its exit is expected then). */
  #stopping = false;
  /** Whether the runtime's genesis state matched its descriptor (checked once the roothash knows it). */
  #genesisChecked: boolean | undefined;
  /** An archive node's view of the runtime: where the stopped chain left it (`startArchive`). */
  #archiveView: RoundView | undefined;

  constructor(o: HostedRuntimeOptions) {
    this.#o = o;
    this.id = fromHex(o.config.id);
    const pool = o.config.tx_pool ?? defaultTxPoolOptions();
    this.#pool = new RuntimeTxPool({
      maxTxs: pool.max_txs,
      maxBytes: pool.max_bytes,
      maxPerSender: pool.max_per_sender,
    });
    const kind = paraTime(o.config.paratime);
    const localConfig = kind.localConfig(o.config.config, `runtimes[${o.config.id}].config`);
    const dir = join(o.dataDir, 'runtimes', runtimeDirName(o.config.id));
    this.#state = LmdbTreeStore.open(join(dir, 'state'));
    this.#history = RuntimeHistory.open(join(dir, 'history'));
    this.#historyPruner = new RuntimeHistoryPruner(
      this.#history,
      o.config.prune ?? defaultRuntimePruneOptions(),
      (err) => o.log.warn({ err: err.message }, 'runtime history prune pass failed'),
      (root) => this.#state.release(root),
    );
    this.#topics = runtimeTopics(o.chainContext, this.id);
    const log = o.log.child({ module: 'runtime', runtime: runtimeDirName(o.config.id) });
    this.#checkpoints = new RuntimeCheckpoints({
      dir: join(dir, 'checkpoints'),
      runtimeId: this.id,
      store: this.#state,
      finalizedRoot: (round) => this.#history.block(BigInt(round))?.block.header.state_root,
      p2p: o.p2p,
      protocol: this.#topics.checkpoints,
      log,
    });
    const keyManager = new KeyManagerClient({
      runtimeId: this.id,
      chainContext: o.chainContext,
      p2p: o.p2p,
      reads: o.keyManagerReads,
      latestState: o.latestState,
    });
    this.host = new RuntimeHost({
      runtimeId: this.id,
      runtimeDir: dir,
      entry: kind.entry,
      consensus: { backend: 'tendermint', protocolVersion: { major: 7 }, chainContext: o.chainContext },
      localConfig: localConfig as CborValue,
      genesisWriteLog: kind.genesisWriteLog(localConfig),
      state: this.#state,
      keyManager: (request) => keyManager.keyPair(request),
      onEvent: (event) => {
        const { reason, output, ...fields } = event as { reason?: Error; output?: string };
        if (event.type === 'down' && !this.#stopping)
          log.warn({ ...fields, reason: reason?.message, output }, 'runtime process down');
        else log.info(fields, `runtime ${event.type}`);
      },
    });
    const roundLogs = new RoundLogsFetcher({
      peers: () => o.p2p.peers(),
      request: (peer, data) => o.p2p.request(peer, this.#topics.roundLogs, data),
      penalize: (peer, reason) => o.p2p.penalize(peer, reason),
    });
    this.#worker = new ExecutorWorker({
      runtimeId: this.id,
      chainContext: o.chainContext,
      signer: o.identity.node,
      host: this.host,
      pool: this.#pool,
      history: this.#history,
      mode: o.mode,
      publishProposal: (p) =>
        void o.p2p.publish(this.#topics.committee, encodeProposal(p)).catch(() => undefined),
      submitCommit: (view, body, gas) =>
        o.sender.send(
          view.state,
          view.height,
          { method: RoothashMethods.executorCommit, body: executorCommitBodyCodec.encode(body) },
          gas,
        ),
      runtimeBlockAt: (height) => {
        const rs = o.reads.runtimeState(o.stateAt(Number(height)), this.id);
        return rs && { consensusHeight: rs.last_block_height, block: rs.last_block };
      },
      syncState: (root, round) => this.#checkpoints.restore(root, Number(round)),
      fetchRoundLogs: (req, accept) => roundLogs.fetch(req, accept),
      // A recorded round's state (when held) is kept as long as its history is.
      onRecorded: (b) => void this.#state.retain(b.block.header.state_root),
      onBlock: (b) => {
        for (const w of this.#watchers) w(b);
        this.#checkpointIfDue(b.block.header.round, log);
      },
      log: { info: (m, f) => log.info(f ?? {}, m), warn: (m, f) => log.warn(f ?? {}, m) },
    });
    this.#txGossip = new TxBatchPublisher(o.p2p, this.#topics.txs);
    o.p2p.subscribe(this.#topics.txs, (msg) => this.#onGossipedTxs(msg.data));
    o.p2p.subscribe(this.#topics.committee, (msg) => this.#onGossipedProposal(msg.data));
    o.p2p.handle(this.#topics.roundLogs, async (_from, request) => this.#worker.answerRoundLogs(request));
  }

  /** Starts the runtime process. */
  async start(): Promise<void> {
    await this.host.start();
    this.#historyPruner.start();
  }

  /**
   * Starts the runtime process alone, to answer queries over the history of a stopped chain whose last
   * committed state is `state` at `height`: no executor work, no pruning, no gossip.
   */
  async startArchive(state: StateReader, height: number): Promise<void> {
    await this.host.start();
    const view = this.#roundAt(state, height);
    if (view === undefined) {
      this.#o.log.warn(
        { runtime: this.#o.config.id },
        'runtime unknown to the stopped chain; nothing to serve',
      );
      return;
    }
    if (this.#genesisMatches(state)) this.#archiveView = view;
  }

  /** Stops the runtime and closes its stores. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#txGossip.flush();
    this.#worker.close();
    await this.#worker.idle();
    await this.host.stop();
    await this.#historyPruner.stop();
    await this.#history.close();
    await this.#state.close();
  }

  /** Feeds a committed consensus block. */
  onConsensusCommit(state: StateReader, height: number): void {
    const view = this.#roundAt(state, height);
    if (view === undefined || !this.#genesisMatches(state)) return;
    this.#worker.onConsensusCommit(view);
  }

  /** The runtime's round as of committed consensus `state` at `height` (undefined: unknown to the roothash). */
  #roundAt(state: StateReader, height: number): RoundView | undefined {
    const o = this.#o;
    return roundView(state, height, this.id, o.identity.node.publicKey, o.stateAt, o.reads);
  }

  /**
   * Writes the checkpoint of a finalized round in the background when the runtime descriptor's
   * `storage.checkpoint_interval` makes it due (peers may also ask for any recent round's on demand).
   */
  #checkpointIfDue(round: bigint, log: Logger): void {
    const state = this.#o.latestState();
    const interval =
      state === undefined
        ? 0n
        : (this.#o.reads.runtimeState(state, this.id)?.runtime.storage.checkpoint_interval ?? 0n);
    if (interval <= 0n || round % interval !== 0n) return;
    void this.#checkpoints
      .manifestAt(Number(round))
      .catch((err: Error) =>
        log.warn({ round: String(round), err: err.message }, 'runtime checkpoint failed'),
      );
  }

  /** Refuses to take part (loudly, once) when our genesis state is not the one the descriptor names. */
  #genesisMatches(state: StateReader): boolean {
    if (this.#genesisChecked === undefined) {
      const genesis = this.#o.reads.runtimeState(state, this.id)?.genesis_block.header.state_root;
      if (genesis === undefined) return false;
      this.#genesisChecked = bytesEqual(genesis, this.host.genesisStateRoot);
      if (!this.#genesisChecked)
        this.#o.log.error(
          { expected: toHex(genesis), local: toHex(this.host.genesisStateRoot) },
          'runtime genesis state differs from the registered descriptor; not taking part (check runtimes[].config)',
        );
    }
    return this.#genesisChecked;
  }

  #latest(): RoundView {
    const view = this.#worker.view ?? this.#archiveView;
    if (view === undefined) throw RuntimeClientErrors.notSynced();
    return view;
  }

  /**
   * Admits a gossiped batch's new transactions (their checks go to the runtime together). Relays the batch
   * when any was new here; rejects the sender's message when it is malformed or a transaction could never
   * be valid, and ignores it when every transaction was known, stale here, or did not fit our pool.
   */
  async #onGossipedTxs(data: Uint8Array): Promise<GossipVerdict> {
    let txs: Uint8Array[];
    try {
      txs = decodeTxBatch(data);
    } catch {
      return 'reject';
    }
    if (txs.some((tx) => tx.length > MAX_RUNTIME_TX_BYTES)) return 'reject';
    const fresh = txs.filter((tx) => !this.#pool.has(sha512_256(tx)));
    const outcomes = await Promise.allSettled(fresh.map((tx) => this.#admit(tx)));
    let verdict: GossipVerdict = 'ignore';
    for (const o of outcomes) {
      if (o.status === 'fulfilled') {
        verdict = 'accept';
        continue;
      }
      // A transaction another node admitted may be stale here, or our pool full; only undecodable ones are
      // the sender's fault.
      const err = o.reason;
      const ours =
        err instanceof CodedError && (err.module === 'runtime/client' || err.module === 'runtime/txpool');
      if (!ours) return 'reject';
    }
    return verdict;
  }

  #onGossipedProposal(data: Uint8Array): GossipVerdict {
    try {
      return this.#worker.onProposal(decodeProposal(data, this.#o.maxGossipBytes)) ? 'accept' : 'reject';
    } catch {
      return 'reject';
    }
  }

  /**
   * Checks `tx` against the latest runtime state and adds it to the pool, also when its nonce is ahead of
   * the state (it waits there for its predecessors). A full pool refuses at once, before any check, so an
   * overloaded node answers quickly instead of queueing.
   */
  async #admit(tx: Uint8Array): Promise<void> {
    if (this.#pool.isFull(tx.length)) throw TxPoolErrors.full();
    const checked = await this.#check(tx);
    if (!isFutureNonce(checked)) throwIfRefused(checked);
    if (this.#pool.add(tx, checked.meta, this.#latest().round)) this.#worker.onTxAdded();
  }

  /** The runtime's check of `tx` against the latest state (batched with others arriving meanwhile). */
  #check(tx: Uint8Array): Promise<CheckTxResult> {
    const view = this.#latest();
    // A transaction no batch can hold would sit in the pool for ever.
    const limit = Math.min(MAX_RUNTIME_TX_BYTES, view.maxBatchBytes);
    if (tx.length > limit)
      throw RuntimeClientErrors.checkTxFailed({
        module: 'runtime/client',
        code: 5,
        message: `transaction larger than ${limit} bytes`,
      });
    return this.#checks.check(tx);
  }

  /** Checks a transaction against the latest runtime state (`checkTxFailed` when refused). */
  async checkTx(tx: Uint8Array): Promise<void> {
    throwIfRefused(await this.#check(tx));
  }

  /**
   * The nonce `sender` would use next: past its transactions waiting in this node's pool from
   * `stateNonce` (its nonce in the latest state) on.
   */
  pendingNonce(sender: Uint8Array, stateNonce: bigint): bigint {
    return this.#pool.nextNonce(sender, stateNonce);
  }

  /** Admits and gossips a transaction; resolves with its result once a round includes it. */
  async submitTx(tx: Uint8Array, wait: boolean): Promise<SubmittedTx | undefined> {
    // This caller's own wait: a refusal ends it alone, never another caller's wait on the same hash.
    const refused = new AbortController();
    const waiting = wait ? this.#worker.waitFor(sha512_256(tx), refused.signal) : undefined;
    try {
      await this.#admit(tx);
    } catch (err) {
      refused.abort();
      waiting?.catch(() => undefined);
      throw err;
    }
    this.#txGossip.publish(tx);
    return waiting;
  }

  /** The runtime's genesis block. */
  genesisBlock(): Block {
    const rs = this.#o.reads.runtimeState(this.#latest().state, this.id);
    if (rs === undefined) throw RuntimeClientErrors.notFound('runtime');
    return rs.genesis_block;
  }

  /** The block of `round` (`ROUND_LATEST`: the latest). */
  block(round: bigint): Block {
    if (round === ROUND_LATEST) return this.#latest().lastBlock;
    const b = this.#history.block(round);
    // As oasis-core's runtime history answers for a round it does not have.
    if (b === undefined) throw RoothashErrors.notFound();
    return b.block;
  }

  /** The earliest block kept. */
  lastRetainedBlock(): Block {
    return this.#history.earliest()?.block ?? this.genesisBlock();
  }

  /** A round's transactions with results. */
  transactions(round: bigint): TransactionWithResult[] {
    const r = round === ROUND_LATEST ? this.#latest().lastBlock.header.round : round;
    return this.#history.transactions(r);
  }

  /** Transactions waiting in this node's pool. */
  unconfirmedTransactions(): Uint8Array[] {
    return this.#pool.all();
  }

  /** A read-only query on the state of `round`. */
  async query(round: bigint, method: string, args: CborValue): Promise<CborValue> {
    const view = this.#latest();
    const block = this.block(round);
    if (!this.host.hasState(block.header.state_root)) throw stateNotKept(block.header.round);
    const res = await this.host.query({
      round: block.header.round,
      state_root: block.header.state_root,
      consensus_height: view.lastBlockHeight,
      epoch: view.epoch,
      method,
      args,
    });
    return res.data;
  }

  /** Subscribes to new blocks. */
  watchBlocks(onBlock: (b: AnnotatedBlock) => void): () => void {
    this.#watchers.add(onBlock);
    return () => this.#watchers.delete(onBlock);
  }
}
