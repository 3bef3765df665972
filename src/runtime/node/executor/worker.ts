/**
 * The executor worker of one runtime on one node (oasis-core `go/worker/compute/executor`, simplified):
 * after every consensus block it looks at the runtime's round; as the round's scheduler it proposes a
 * batch from its pool; on a valid proposal for the open round it executes the batch through the runtime
 * host and, as a worker (or as a backup once the round is in discrepancy), signs and submits its
 * executor commitment. A node that does not execute a round (a client node, a backup while no discrepancy
 * calls on it) follows it once finalized from a member's write logs (round_logs.ts), checked against the
 * finalized roots: it then has the new state and the transactions' results (for clients waiting on them),
 * as the members do; a node without those (missed rounds, no member answering) fetches the finalized state
 * from peers' checkpoints. Without a way to fetch logs (`fetchRoundLogs` absent) a node executes every
 * proposal it sees instead.
 *
 * All work runs one step at a time on a queue, so rounds never interleave.
 */
import { bytesEqual, toHex } from '../../../codec/bytes.ts';
import type { Ed25519KeyPair } from '../../../crypto/ed25519.ts';
import { EMPTY_HASH, sha512_256 } from '../../../crypto/hash.ts';
import { CodedError } from '../../../errors.ts';
import { HeaderType } from '../../../services/roothash/api/block.ts';
import {
  CommitmentFailure,
  type ComputeResultsHeader,
  type ExecutorCommitment,
  signExecutorCommitment,
} from '../../../services/roothash/api/commitment.ts';
import { schedulerRank } from '../../../services/roothash/api/committee.ts';
import { runtimeMessageCodec } from '../../../services/roothash/api/messages.ts';
import type { ExecutorCommitBody } from '../../../services/roothash/api/methods.ts';
import { TxWaiters } from '../../../util/tx_waiters.ts';
import { eventsByTx } from '../../protocol/events.ts';
import { type IoTransaction, ioTransactions } from '../../protocol/io_tree.ts';
import type { CheckTxResult, ResponseOf } from '../../protocol/types.ts';
import { rootOfEntries } from '../../state/tree_store.ts';
import {
  type AnnotatedBlock,
  RuntimeClientErrors,
  type SubmittedTx,
  type TransactionWithResult,
} from '../client/api.ts';
import type { RuntimeHost } from '../host/host.ts';
import type { ExecutorMode } from '../options.ts';
import { selectBatch } from './batch_select.ts';
import type { RuntimeHistory } from './history.ts';
import { HistoryBackfill, type HistoryBackfillOptions } from './history_backfill.ts';
import { type Proposal, signProposal, verifyProposal } from './proposal.ts';
import { RoundLogCache, type RoundLogs, type RoundLogsRequest } from './round_logs.ts';
import { blockContextOf, type RoundView } from './round_view.ts';
import type { RuntimeTxPool } from './tx_pool.ts';

/** How long a client waits for its transaction to land before `transactionExpired`. */
export const SUBMIT_TIMEOUT_MS = 120_000;
/**
 * Rounds a transaction may wait in the pool: past them it is dropped (its client's wait then expires), so
 * nonces whose predecessors never come cannot hold places for ever.
 */
export const POOL_TX_MAX_AGE_ROUNDS = 100n;
/** Proposals for rounds not open yet that are kept until the node catches up. */
const MAX_EARLY_PROPOSALS = 8;
/** Proposals a backup keeps unexecuted for the open round, in case a discrepancy calls on it. */
const MAX_DEFERRED_PROPOSALS = 8;

/** What the worker needs from the node around it. */
export interface ExecutorWorkerOptions {
  runtimeId: Uint8Array;
  chainContext: string;
  /** The node key: signs proposals and commitments. */
  signer: Ed25519KeyPair;
  host: RuntimeHost;
  pool: RuntimeTxPool;
  history: RuntimeHistory;
  mode: ExecutorMode;
  /** Gossips an encoded proposal to the committee. */
  publishProposal(p: Proposal): void;
  /** Submits `roothash.ExecutorCommit` as a consensus transaction of this node. */
  submitCommit(view: RoundView, body: ExecutorCommitBody, gas: bigint): Promise<void>;
  /** Reads the runtime's block as of a past consensus height, to backfill the history (see there). */
  runtimeBlockAt: HistoryBackfillOptions['runtimeBlockAt'];
  /** Consensus heights backfilled per step (default `BACKFILL_HEIGHTS_PER_STEP`). */
  backfillHeightsPerStep?: bigint;
  /** Fetches the state of `root`, finalized at `round`, from peers; resolves whether it is now held. */
  syncState(root: Uint8Array, round: bigint): Promise<boolean>;
  /**
   * Fetches a finalized round's write logs from peers, each answer handed to `accept` (which checks and
   * adopts it) until one is accepted; undefined when none was in time. Absent: this node executes every
   * proposal it sees, members' or not.
   */
  fetchRoundLogs?(
    req: RoundLogsRequest,
    accept: (logs: RoundLogs) => Promise<boolean>,
  ): Promise<RoundLogs | undefined>;
  /** Local clock for the backup schedulers' wait (default: wall clock). */
  now?: () => number;
  /** Called with every runtime block as it is recorded. */
  onBlock(b: AnnotatedBlock): void;
  /** Called with every block recorded in the history, backfilled ones included (default: nothing). */
  onRecorded?(b: AnnotatedBlock): void;
  log: {
    info(msg: string, f?: Record<string, unknown>): void;
    warn(msg: string, f?: Record<string, unknown>): void;
  };
}

/** What an operator wants to know of an election: worker (scheduler or not), backup, or not elected. */
function membership(view: RoundView): 'worker' | 'backup' | 'none' {
  if (view.committee === undefined || view.role === 'none') return 'none';
  return view.role === 'backup' ? 'backup' : 'worker';
}

/** One execution of a proposal's batch. */
interface Execution {
  proposal: Proposal;
  /** The proposer's scheduler rank in the round. */
  rank: bigint;
  response: ResponseOf<'RuntimeExecuteTxBatchRequest'>;
  committed: boolean;
}

/** Pool transactions checked, as the next round's scheduler, against the state a round is expected to end in. */
interface CheckedAhead {
  round: bigint;
  stateRoot: Uint8Array;
  candidates: Uint8Array[];
  results: CheckTxResult[];
}

/** A finalized round's transactions as the history records them, and their hashes (batch order). */
interface SettledBatch {
  txs: TransactionWithResult[];
  hashes: Uint8Array[];
}

/** A round's batch with each transaction's events from the round's IO write log. */
function settledBatch(batch: IoTransaction[], ioWriteLog: RoundLogs['io_write_log']): SettledBatch {
  const events = eventsByTx(ioWriteLog);
  return {
    txs: batch.map((t) => ({ tx: t.tx, result: t.result, events: events.get(toHex(t.hash)) ?? [] })),
    hashes: batch.map((t) => t.hash),
  };
}

/** Consensus gas for one commitment (its runtime messages are paid by the runtime's own account). */
const COMMIT_GAS = 50_000n;

/** The executor side of one hosted runtime. */
export class ExecutorWorker {
  readonly #o: ExecutorWorkerOptions;
  #queue: Promise<void> = Promise.resolve();
  #view: RoundView | undefined;
  #served: RoundView | undefined;
  /** Executions by `<hex hash of the block they build on>/<hex proposer id>`. */
  readonly #executions = new Map<string, Execution>();
  /** Valid proposals for blocks this node has not seen yet, keyed like executions. */
  readonly #early = new Map<string, Proposal>();
  /** Valid proposals for the open round a backup has not executed (no discrepancy yet), keyed likewise. */
  readonly #deferred = new Map<string, Proposal>();
  /** Write logs of this node's newest executions and followed rounds, served to nodes that follow. */
  readonly #roundLogs = new RoundLogCache();
  /** The next round's candidates, checked ahead against the state this node's execution yielded. */
  #checkedAhead: CheckedAhead | undefined;
  /** Previous-block hashes this node already proposed on. */
  readonly #proposed = new Set<string>();
  /**
   * Best scheduler rank a valid proposal for the open round (by the hex hash of the block it builds on)
   * came from, noted on arrival, before the queue gets to executing it: a backup-ranked worker must not
   * propose a second batch for a round whose better-ranked proposal is merely still waiting behind other
   * work (every member would execute both).
   */
  readonly #proposalSeen = new Map<string, { round: bigint; rank: bigint }>();
  readonly #waiters = new TxWaiters<SubmittedTx>({
    timeoutMs: SUBMIT_TIMEOUT_MS,
    expired: () => RuntimeClientErrors.transactionExpired(),
  });
  /** Pending batch flush of the scheduler (see `onTxAdded`). */
  #flushTimer: NodeJS.Timeout | undefined;
  /** When (local clock) the open round was first seen. */
  #roundOpenedAt = 0;
  readonly #now: () => number;
  #closed = false;
  /** Records the rounds finalized at heights this worker never handled (down, restarting, skipped). */
  readonly #backfiller: HistoryBackfill;
  /** Whether a backfill step is queued already. */
  #backfillQueued = false;

  constructor(o: ExecutorWorkerOptions) {
    this.#o = o;
    this.#now = o.now ?? Date.now;
    this.#backfiller = new HistoryBackfill({
      history: o.history,
      runtimeBlockAt: o.runtimeBlockAt,
      heightsPerStep: o.backfillHeightsPerStep,
      ...(o.onRecorded ? { onRecorded: o.onRecorded } : {}),
      log: o.log,
    });
  }

  /**
   * The latest round whose runtime state this node holds: what its clients are served (checks, queries,
   * the latest block). It trails the consensus side while the state of a newer round is being fetched, so
   * a client never reads a round whose state is not here yet.
   */
  get view(): RoundView | undefined {
    return this.#served;
  }

  /** Resolves when every step queued so far has run. */
  idle(): Promise<void> {
    return this.#queue;
  }

  /** A consensus block was committed: follow the runtime's blocks and play this node's part. */
  onConsensusCommit(view: RoundView): void {
    this.#enqueue(() => this.#afterCommit(view));
  }

  /** A proposal arrived (from gossip, or our own). False when it is invalid (the sender is at fault). */
  onProposal(p: Proposal): boolean {
    if (!verifyProposal(p, this.#o.runtimeId, this.#o.chainContext)) return false;
    this.#noteProposal(p);
    this.#enqueue(() => this.#handleProposal(p));
    return true;
  }

  /**
   * Waits until transaction `hash` is in a finalized round; its result then. Every caller waiting on the
   * same transaction (submitted more than once) gets it; `signal` ends this caller's wait only.
   */
  waitFor(hash: Uint8Array, signal?: AbortSignal): Promise<SubmittedTx> {
    return this.#waiters.wait(hash, signal);
  }

  /**
   * A transaction entered the pool. The scheduler of an open round it has not proposed for yet proposes
   * after the runtime's `batch_flush_timeout` (gathering what else arrives meanwhile) instead of waiting
   * for the next consensus block, as oasis-core's transaction scheduler flushes its batch.
   */
  onTxAdded(): void {
    const view = this.#view;
    if (this.#closed || this.#flushTimer !== undefined || view?.rank !== 0n) return;
    if (this.#proposed.has(toHex(view.previousHash))) return;
    this.#flushTimer = setTimeout(() => {
      this.#flushTimer = undefined;
      this.#enqueue(async () => {
        const current = this.#view;
        if (current !== undefined && this.#mayPropose(current)) await this.#propose(current);
      });
    }, view.batchFlushTimeoutMs);
    this.#flushTimer.unref();
  }

  /** Answers a peer's encoded round-logs request from the logs kept here (a coded error when not kept). */
  answerRoundLogs(request: Uint8Array): Uint8Array {
    return this.#roundLogs.answer(request);
  }

  /** Stops taking work; pending waiters fail. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#flushTimer);
    this.#waiters.failAll(RuntimeClientErrors.internal('node stopping'));
  }

  #noteProposal(p: Proposal): void {
    const view = this.#view;
    if (view?.committee === undefined || !bytesEqual(p.header.previous_hash, view.previousHash)) return;
    if (p.header.round !== view.round) return;
    const rank = schedulerRank(view.committee, view.round, p.node_id);
    if (rank === undefined) return;
    const key = toHex(view.previousHash);
    const seen = this.#proposalSeen.get(key);
    if (seen === undefined || rank < seen.rank) this.#proposalSeen.set(key, { round: view.round, rank });
  }

  #enqueue(step: () => Promise<void>): void {
    this.#queue = this.#queue.then(async () => {
      if (this.#closed) return;
      try {
        await step();
      } catch (err) {
        this.#o.log.warn('executor step failed', { err: (err as Error).message });
      }
    });
  }

  async #afterCommit(view: RoundView): Promise<void> {
    const previous = this.#view;
    this.#view = view;
    if (previous === undefined || previous.epoch !== view.epoch || membership(previous) !== membership(view))
      this.#o.log.info('executor committee', { epoch: view.epoch.toString(), member: membership(view) });
    if (previous === undefined || !bytesEqual(previous.previousHash, view.previousHash)) {
      this.#roundOpenedAt = this.#now();
      this.#o.log.info('round opened', { round: view.round, height: view.height, role: view.role });
      await this.#onNewBlock(view);
    }
    this.#backfiller.noteIndexed(view);
    if (this.#o.host.hasState(view.lastBlock.header.state_root)) this.#served = view;
    if (view.committee === undefined) return;
    const prefix = toHex(view.previousHash);
    for (const [k, p] of [...this.#early]) {
      if (!k.startsWith(prefix)) continue;
      this.#early.delete(k);
      await this.#handleProposal(p);
    }
    if (this.#mayPropose(view)) await this.#propose(view);
    if (view.role === 'backup' && view.discrepancy) {
      for (const [k, p] of [...this.#deferred]) {
        if (!k.startsWith(prefix)) continue;
        this.#deferred.delete(k);
        await this.#handleProposal(p);
      }
      // Backups settle the round for the best-ranked scheduler the commitments name.
      const target = this.#executionsOf(view).find((e) => e.rank === view.highestRank);
      if (target !== undefined) await this.#commit(view, target);
    }
  }

  /**
   * The scheduler proposes at once; a worker of rank k proposes when no proposal has come (arrived, even if
   * not executed yet) for k × the runtime's propose timeout (the scheduler may be down), as oasis-core's
   * backup schedulers do.
   */
  #mayPropose(view: RoundView): boolean {
    if (this.#proposed.has(toHex(view.previousHash)) || view.rank === undefined) return false;
    if (view.rank === 0n) return true;
    const seen = this.#proposalSeen.get(toHex(view.previousHash));
    if ((seen !== undefined && seen.rank < view.rank) || this.#executionsOf(view).length > 0) return false;
    return this.#now() - this.#roundOpenedAt >= Number(view.rank) * view.proposeTimeoutMs;
  }

  #executionsOf(view: RoundView): Execution[] {
    const prefix = toHex(view.previousHash);
    return [...this.#executions].filter(([k]) => k.startsWith(prefix)).map(([, e]) => e);
  }

  /** One backfill step; queues the next while heights remain (other work runs between steps). */
  async #backfill(view: RoundView): Promise<void> {
    if (!(await this.#backfiller.step(view)) || this.#backfillQueued) return;
    this.#backfillQueued = true;
    this.#enqueue(async () => {
      this.#backfillQueued = false;
      const current = this.#view;
      if (current === undefined) return;
      await this.#backfill(current);
      this.#backfiller.noteIndexed(current);
    });
  }

  /** Records the runtime's latest block; for a normal round, settles its transactions and state. */
  async #onNewBlock(view: RoundView): Promise<void> {
    const recordedBefore = this.#o.history.latest()?.block.header.round;
    await this.#backfill(view);
    const block = view.lastBlock;
    const h = block.header;
    const annotated = { consensusHeight: view.lastBlockHeight, block };
    const execution = [...this.#executions.values()].find(
      (e) =>
        bytesEqual(e.proposal.header.previous_hash, h.previous_hash) &&
        bytesEqual(e.response.header.state_root, h.state_root) &&
        bytesEqual(e.response.header.io_root, h.io_root),
    );
    const normal = h.header_type === HeaderType.normal;
    // A normal round this node did not execute: followed from a member's write logs when it can be.
    const followed = normal && execution === undefined ? await this.#follow(h) : undefined;
    // The state comes first: a block is recorded and announced to watchers only once it can be queried.
    if (!this.#o.host.hasState(h.state_root)) {
      this.#o.log.info('runtime state missing locally; fetching from peers', {
        round: h.round,
        root: toHex(h.state_root),
      });
      if (!(await this.#o.syncState(h.state_root, h.round)))
        this.#o.log.warn('runtime state not available from peers', { round: h.round });
    }
    if (normal && execution !== undefined) {
      const { proposal, response } = execution;
      const batch = proposal.batch.map((tx, i) => ({
        hash: response.tx_hashes[i]!,
        tx,
        result: response.results[i]!,
      }));
      await this.#settleRound(annotated, settledBatch(batch, response.io_write_log));
    } else if (followed !== undefined) {
      await this.#settleRound(annotated, followed);
    } else {
      await this.#o.history.record(annotated);
      const missedRounds = recordedBefore !== undefined && h.round > recordedBefore + 1n;
      if (normal || missedRounds) await this.#dropStale(view);
    }
    this.#o.onRecorded?.(annotated);
    this.#o.onBlock(annotated);
    const expired = this.#o.pool.expire(h.round - POOL_TX_MAX_AGE_ROUNDS);
    if (expired > 0) this.#o.log.info('dropped transactions waiting too long', { round: h.round, expired });
    for (const [k, e] of this.#executions) if (e.proposal.header.round <= h.round) this.#executions.delete(k);
    for (const [k, p] of this.#early) if (p.header.round <= h.round) this.#early.delete(k);
    for (const [k, p] of this.#deferred) if (p.header.round <= h.round) this.#deferred.delete(k);
    for (const [k, seen] of this.#proposalSeen) if (seen.round <= h.round) this.#proposalSeen.delete(k);
    this.#proposed.clear();
  }

  /** Records a finalized round's transactions, takes them out of the pool and answers their waiters. */
  async #settleRound(annotated: AnnotatedBlock, { txs, hashes }: SettledBatch): Promise<void> {
    await this.#o.history.record(annotated, txs);
    this.#o.pool.remove(hashes);
    const round = annotated.block.header.round;
    hashes.forEach((hash, i) => {
      this.#waiters.settle(hash, { result: txs[i]!.result, round, batchOrder: i });
    });
  }

  /**
   * Follows finalized round `h` from a member's write logs: the IO log must yield the header's IO root
   * (its transactions and results are read from it) and the state log, applied on the previous round's
   * state, the header's state root. Undefined when this node cannot (no fetch, previous state not held,
   * no peer answered in time).
   */
  async #follow(h: AnnotatedBlock['block']['header']): Promise<SettledBatch | undefined> {
    const fetch = this.#o.fetchRoundLogs;
    const { host } = this.#o;
    // The genesis round executed nothing; a round without transactions whose state is here has nothing to learn.
    if (h.round === 0n) return undefined;
    if (bytesEqual(h.io_root, EMPTY_HASH) && host.hasState(h.state_root)) return { txs: [], hashes: [] };
    const previous = this.#o.history.block(h.round - 1n)?.block.header.state_root;
    if (
      fetch === undefined ||
      (!host.hasState(h.state_root) && (previous === undefined || !host.hasState(previous)))
    )
      return undefined;
    const at = { round: h.round, state_root: h.state_root, io_root: h.io_root };
    let followed: SettledBatch | undefined;
    const logs = await fetch(at, async (logs) => {
      if (!bytesEqual(rootOfEntries(logs.io_write_log), h.io_root)) return false;
      let batch: IoTransaction[];
      try {
        batch = ioTransactions(logs.io_write_log);
      } catch {
        return false;
      }
      if (
        !host.hasState(h.state_root) &&
        !(await host.applyWriteLog(previous!, h.state_root, logs.state_write_log))
      )
        return false;
      followed = settledBatch(batch, logs.io_write_log);
      return true;
    });
    if (logs === undefined) {
      this.#o.log.warn('round logs not available from peers', { round: h.round });
      return undefined;
    }
    this.#roundLogs.add(at, logs);
    this.#o.log.info('followed round from write logs', { round: h.round, txs: followed?.txs.length ?? 0 });
    return followed;
  }

  /**
   * After normal rounds this node did not execute (it missed the proposal, or was down), the pool may
   * still hold transactions the round included: the pool's head is checked against the new state and
   * what can no longer run (e.g. its nonce is used) leaves, as a scheduler's batch check would do.
   */
  async #dropStale(view: RoundView): Promise<void> {
    const { pool, host } = this.#o;
    if (pool.size === 0 || !host.hasState(view.lastBlock.header.state_root)) return;
    const candidates = pool.peek(view.maxBatchSize, view.maxBatchBytes);
    let checked: Awaited<ReturnType<RuntimeHost['checkTxBatch']>>;
    try {
      checked = await host.checkTxBatch({ ...blockContextOf(view), inputs: candidates });
    } catch (err) {
      // Only housekeeping: the block's own steps (announcing it, settling waiters) must still run.
      this.#o.log.warn('pool recheck failed', { err: (err as Error).message });
      return;
    }
    const { stale } = selectBatch(candidates, checked.results);
    if (stale.length === 0) return;
    pool.remove(stale.map((tx) => sha512_256(tx)));
    this.#o.log.info('dropped transactions a round this node did not execute made stale', {
      round: view.lastBlock.header.round,
      dropped: stale.length,
    });
  }

  /**
   * As the round's scheduler: take a batch of still-valid transactions (a sender's later nonces with the
   * earlier ones) and propose it (an empty one when only incoming messages or the last round's message
   * outcomes wait).
   */
  async #propose(view: RoundView): Promise<void> {
    const { pool, host } = this.#o;
    // Outcomes of the last normal round's messages are work too: the runtime finishes them (credits
    // user-signed deposits) in the next round, which would otherwise wait for the next transaction.
    const pending = view.inMessages.length > 0 || view.messageResults.length > 0;
    const hasWork = pool.size > 0 || pending;
    if (!hasWork || !host.hasState(view.lastBlock.header.state_root)) return;
    const { candidates, results } = await this.#checkedCandidates(view);
    const { batch, stale } = selectBatch(candidates, results);
    pool.remove(stale.map((tx) => sha512_256(tx)));
    if (batch.length === 0 && !pending) return;
    // A backup-ranked worker's check takes a while: the scheduler's proposal may have arrived meanwhile.
    if (view.rank !== 0n && !this.#mayPropose(view)) return;
    this.#proposed.add(toHex(view.previousHash));
    const { signer, runtimeId, chainContext } = this.#o;
    const proposal = signProposal(signer, runtimeId, chainContext, view.round, view.previousHash, batch);
    this.#o.log.info('proposing batch', { round: view.round, txs: batch.length });
    this.#o.publishProposal(proposal);
    await this.#handleProposal(proposal);
  }

  async #handleProposal(p: Proposal): Promise<void> {
    const view = this.#view;
    const key = `${toHex(p.header.previous_hash)}/${toHex(p.node_id)}`;
    if (view === undefined || !bytesEqual(p.header.previous_hash, view.previousHash)) {
      // Possibly for a block this node has not processed yet; kept (bounded) until it has.
      if (view === undefined || p.header.round > view.lastBlock.header.round) {
        this.#early.set(key, p);
        if (this.#early.size > MAX_EARLY_PROPOSALS) this.#early.delete(this.#early.keys().next().value!);
      }
      return;
    }
    const committee = view.committee;
    if (committee === undefined || p.header.round !== view.round || this.#executions.has(key)) return;
    const rank = schedulerRank(committee, view.round, p.node_id);
    if (rank === undefined) return;
    const member = view.role === 'scheduler' || view.role === 'worker';
    if (!member && !(view.role === 'backup' && view.discrepancy) && this.#o.fetchRoundLogs !== undefined) {
      // Not called on (yet): the round is followed from a member's logs once finalized.
      if (view.role === 'backup') {
        this.#deferred.set(key, p);
        if (this.#deferred.size > MAX_DEFERRED_PROPOSALS)
          this.#deferred.delete(this.#deferred.keys().next().value!);
      }
      return;
    }
    const started = this.#now();
    const execution = await this.#execute(view, p, rank);
    if (execution === undefined) return;
    this.#o.log.info('executed batch', { round: view.round, txs: p.batch.length, ms: this.#now() - started });
    this.#executions.set(key, execution);
    const { header, state_write_log, io_write_log } = execution.response;
    this.#roundLogs.add(
      { round: view.round, state_root: header.state_root, io_root: header.io_root },
      { state_write_log, io_write_log },
    );
    if (member || (view.role === 'backup' && view.discrepancy && rank === view.highestRank))
      await this.#commit(view, execution);
    if (member) await this.#checkAhead(view, execution);
  }

  /**
   * As the next round's scheduler, checks the pool's next candidates against the state this execution
   * yielded while the round waits for its consensus block, so that when the round finalizes with that
   * state (the usual case) the proposal goes out without a check pass of its own (oasis-core's schedulers
   * likewise work ahead of the block). Only a scheduling aid: execution re-validates every transaction.
   */
  async #checkAhead(view: RoundView, e: Execution): Promise<void> {
    const next = view.round + 1n;
    const self = this.#o.signer.publicKey;
    if (view.committee === undefined || schedulerRank(view.committee, next, self) !== 0n) return;
    const included = new Set(e.response.tx_hashes.map(toHex));
    const candidates = this.#o.pool.peek(view.maxBatchSize, view.maxBatchBytes, included);
    if (candidates.length === 0) return;
    const stateRoot = e.response.header.state_root;
    try {
      const checked = await this.#o.host.checkTxBatch({
        ...blockContextOf(view),
        round: next,
        state_root: stateRoot,
        inputs: candidates,
      });
      this.#checkedAhead = { round: next, stateRoot, candidates, results: checked.results };
    } catch {
      // Only an aid: the proposal checks its batch itself then.
    }
  }

  /**
   * The round's candidates and their checks against its state: those checked ahead (still waiting here),
   * then whatever else the pool holds, checked now.
   */
  async #checkedCandidates(view: RoundView): Promise<{ candidates: Uint8Array[]; results: CheckTxResult[] }> {
    const { pool, host } = this.#o;
    const ahead = this.#checkedAhead;
    this.#checkedAhead = undefined;
    const candidates: Uint8Array[] = [];
    const results: CheckTxResult[] = [];
    const held = new Set<string>();
    let bytes = 0;
    if (ahead?.round === view.round && bytesEqual(ahead.stateRoot, view.lastBlock.header.state_root)) {
      ahead.candidates.forEach((tx, i) => {
        const hash = sha512_256(tx);
        if (!pool.has(hash)) return;
        candidates.push(tx);
        results.push(ahead.results[i]!);
        held.add(toHex(hash));
        bytes += tx.length;
      });
    }
    const room = view.maxBatchSize - candidates.length;
    const fresh = room > 0 ? pool.peek(room, view.maxBatchBytes - bytes, held) : [];
    if (fresh.length > 0) {
      const checked = await host.checkTxBatch({ ...blockContextOf(view), inputs: fresh });
      candidates.push(...fresh);
      results.push(...checked.results);
    }
    return { candidates, results };
  }

  async #execute(view: RoundView, p: Proposal, rank: bigint): Promise<Execution | undefined> {
    const { host } = this.#o;
    if (!host.hasState(view.lastBlock.header.state_root)) {
      if (view.role === 'scheduler' || view.role === 'worker') await this.#commitFailure(view, p);
      return undefined;
    }
    const response = await host.executeBatch({
      ...blockContextOf(view),
      timestamp: view.lastBlock.header.timestamp,
      max_messages: view.maxMessages,
      inputs: p.batch,
      in_msgs: view.inMessages,
      message_results: view.messageResults,
    });
    return { proposal: p, rank, response, committed: false };
  }

  async #commit(view: RoundView, e: Execution): Promise<void> {
    if (e.committed) return;
    e.committed = true;
    if (this.#o.mode === 'straggler') {
      this.#o.log.info('straggler mode: not committing', { round: view.round });
      return;
    }
    const r = e.response.header;
    const header: ComputeResultsHeader = {
      round: view.round,
      previous_hash: view.previousHash,
      io_root: r.io_root,
      state_root: this.#o.mode === 'dishonest' ? sha512_256(r.state_root) : r.state_root,
      messages_hash: r.messages_hash,
      in_msgs_hash: r.in_msgs_hash,
      in_msgs_count: r.in_msgs_count,
    };
    const isScheduler = bytesEqual(e.proposal.node_id, this.#o.signer.publicKey);
    const messages = isScheduler
      ? e.response.messages.map((m, i) => runtimeMessageCodec.decode(m, `messages[${i}]`))
      : [];
    await this.#submit(view, e.proposal.node_id, header, CommitmentFailure.none, messages);
  }

  /** A worker that cannot execute (no state) says so, so the round need not wait for it. */
  async #commitFailure(view: RoundView, p: Proposal): Promise<void> {
    const header: ComputeResultsHeader = {
      round: view.round,
      previous_hash: view.previousHash,
      io_root: undefined,
      state_root: undefined,
      messages_hash: undefined,
      in_msgs_hash: undefined,
      in_msgs_count: 0,
    };
    this.#o.log.warn('cannot execute: state unavailable', { round: view.round });
    await this.#submit(view, p.node_id, header, CommitmentFailure.stateUnavailable, []);
  }

  async #submit(
    view: RoundView,
    schedulerId: Uint8Array,
    header: ComputeResultsHeader,
    failure: number,
    messages: ExecutorCommitment['messages'],
  ): Promise<void> {
    const { signer, runtimeId, chainContext } = this.#o;
    const commitment = signExecutorCommitment(
      signer,
      runtimeId,
      chainContext,
      { scheduler_id: schedulerId, header, failure, rak_sig: undefined },
      messages,
    );
    this.#o.log.info('submitting executor commitment', { round: view.round, failure });
    await this.#o
      .submitCommit(view, { id: runtimeId, commits: [commitment] }, COMMIT_GAS)
      .catch((err: unknown) => {
        const coded = err instanceof CodedError ? `${err.module}/${err.code}` : '';
        this.#o.log.warn('executor commitment not accepted', {
          round: view.round,
          err: (err as Error).message,
          coded,
        });
      });
  }
}
