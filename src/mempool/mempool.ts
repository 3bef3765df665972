/**
 * The transaction pool: transactions checked against the latest state (the application's `checkTx`), kept
 * per sender in nonce order, handed to the proposer by fee priority, re-checked after every block, bounded
 * in count and bytes. Adds and updates are serialized, because the application's check state advances
 * with each accepted transaction (a sender's next nonce validates only after the previous one).
 */
import { fromHex, toHex } from '../codec/bytes.ts';
import type { Application, CheckTxResponse } from '../consensus/api/application.ts';
import {
  ConsensusErrors,
  TxErrors,
  transactionHash,
  transactionHashHex,
} from '../consensus/api/transaction.ts';
import { CodedError } from '../errors.ts';
import { PriorityQueue } from './priority_queue.ts';

/** Error module of mempool-only rejections. */
export const MEMPOOL_MODULE = 'mempool';
/** Coded mempool errors. */
export const MempoolErrors = Object.freeze({
  full: () => new CodedError(MEMPOOL_MODULE, 1, 'mempool is full'),
  /** A waiting `SubmitTx` whose transaction was not in a block before its deadline (it may still be). */
  notDecided: (ms: number) =>
    new CodedError(MEMPOOL_MODULE, 2, `transaction not included in a block within ${ms} ms`),
  /** A transaction dropped after staying pending for `blocks` blocks. */
  expired: (blocks: number) =>
    new CodedError(MEMPOOL_MODULE, 3, `transaction expired after ${blocks} blocks in the mempool`),
});

/** Limits of the pool. */
export interface MempoolConfig {
  /** Most transactions held at once. */
  maxTxs: number;
  /** Most bytes of transactions held at once. */
  maxBytes: number;
  /** Largest single transaction (the genesis `max_tx_size`). */
  maxTxBytes: number;
  /** A transaction still pending after this many blocks is evicted (0 = never). */
  ttlBlocks: number;
  /** How many recently seen hashes are remembered to reject duplicates cheaply. */
  seenCacheSize: number;
  /**
   * Most submissions waiting to be checked at once (behind a re-check, or each other); more are refused
   * at once as `full` rather than queued, so a client under overload learns in milliseconds, not seconds.
   */
  maxWaitingChecks: number;
}

/** Defaults sized for a small network on one machine. */
export const DEFAULT_MEMPOOL_CONFIG: MempoolConfig = Object.freeze({
  maxTxs: 20_000,
  maxBytes: 64 * 1024 * 1024,
  maxTxBytes: 128 * 1024,
  ttlBlocks: 100,
  seenCacheSize: 50_000,
  maxWaitingChecks: 5_000,
});

/** How long a submission refused for its nonce waits before its one re-check (see `add`). */
export const NONCE_REORDER_GRACE_MS = 50;

function isInvalidNonce(err: unknown): boolean {
  const { module, code } = TxErrors.invalidNonce();
  return CodedError.is(err, module, code);
}

interface Entry {
  tx: Uint8Array;
  hashKey: string;
  sender: string;
  nonce: bigint;
  priority: bigint;
  seq: number;
  addedAtHeight: number;
}

/**
 * What the pool needs of the application: checks, and optionally a way to restart its check state from
 * the latest committed state before a re-check pass (otherwise re-checks would see their own earlier
 * effects and fail).
 */
export type RecheckingApp = Pick<Application, 'checkTx'> & {
  beginRecheck?(): void;
  /**
   * Work that does not depend on the check state (e.g. signature verification on another thread), run
   * before a transaction waits its turn for `checkTx`, so submissions overlap it. Must not throw.
   */
  precheck?(tx: Uint8Array): Promise<void>;
};

/** Answer of a successful `add`. */
export interface AddedTx {
  hash: Uint8Array;
  check: CheckTxResponse;
}

/** The pool. One per node, fed by clients (gRPC) and peers (gossip). */
export class Mempool {
  readonly #app: RecheckingApp;
  readonly #config: MempoolConfig;
  readonly #senders = new Map<string, Entry[]>();
  readonly #byHash = new Map<string, Entry>();
  readonly #seen = new Map<string, true>();
  readonly #listeners: Array<(tx: Uint8Array, hash: Uint8Array) => void> = [];
  readonly #dropListeners: Array<(hash: Uint8Array, reason: CodedError) => void> = [];
  #bytes = 0;
  #seq = 0;
  #height = 0;
  #lock: Promise<unknown> = Promise.resolve();
  /** Settles when the latest submission so far has joined the check queue (see `add`). */
  #arrivals: Promise<void> = Promise.resolve();
  /** Submissions accepted by `add` and not yet decided. */
  #waiting = 0;

  constructor(app: RecheckingApp, config: Partial<MempoolConfig> = {}) {
    this.#app = app;
    this.#config = { ...DEFAULT_MEMPOOL_CONFIG, ...config };
  }

  /** Number of transactions held. */
  get size(): number {
    return this.#byHash.size;
  }

  /** Bytes of transactions held. */
  get bytes(): number {
    return this.#bytes;
  }

  /** True when the pool holds the transaction with this hash. */
  has(hash: Uint8Array): boolean {
    return this.#byHash.has(toHex(hash));
  }

  /** Calls `listener` for every newly accepted transaction (used to gossip it). */
  onAdded(listener: (tx: Uint8Array, hash: Uint8Array) => void): void {
    this.#listeners.push(listener);
  }

  /**
   * Calls `listener` for every transaction the pool drops before it is in a block, with the reason: the
   * re-check's error, or `expired` after the TTL (so a client waiting on it learns why, as oasis-core's
   * SubmitTx does for an invalidated transaction).
   */
  onDropped(listener: (hash: Uint8Array, reason: CodedError) => void): void {
    this.#dropListeners.push(listener);
  }

  /**
   * Checks and adds a transaction. Throws a coded error when it is oversize (consensus 2), a duplicate
   * (consensus 5), the pool is full or too many submissions wait to be checked (mempool 1, at once,
   * without waiting), or the application rejects it (its own error).
   */
  async add(tx: Uint8Array): Promise<AddedTx> {
    const hash = transactionHash(tx);
    const hashKey = transactionHashHex(tx);
    this.#admissible(tx, hashKey, this.#waiting);
    this.#waiting++;
    // Prechecks run side by side and may finish in any order (signature verification on a worker pool);
    // each submission then joins the check queue in arrival order, so a sender's consecutive nonces sent at
    // once are checked in the order they were sent. No lock is held while a precheck runs.
    const previous = this.#arrivals;
    let joined = () => {};
    this.#arrivals = new Promise<void>((resolve) => {
      joined = resolve;
    });
    try {
      // (A failed precheck changes nothing: the check itself then finds what is wrong.)
      await this.#app.precheck?.(tx).catch(() => undefined);
      await previous;
      const added = this.#serialized(() => this.#add(tx, hash, hashKey));
      joined();
      try {
        return await added;
      } catch (err) {
        if (!isInvalidNonce(err)) throw err;
        // Separate RPCs carry no order: a sender's next nonce sent at the same moment as the one before it
        // can overtake it on the way here (seen under load, one place apart). Give the predecessor a moment
        // to land, then check once more; a nonce that is really wrong is refused after the same short wait.
        await new Promise((resolve) => setTimeout(resolve, NONCE_REORDER_GRACE_MS));
        return await this.#serialized(() => this.#add(tx, hash, hashKey));
      }
    } finally {
      joined();
      this.#waiting--;
    }
  }

  /** Throws unless `tx` could be added now, counting `ahead` submissions still waiting as held. */
  #admissible(tx: Uint8Array, hashKey: string, ahead: number): void {
    if (tx.length > this.#config.maxTxBytes) {
      throw ConsensusErrors.oversizedTx(
        `transaction of ${tx.length} bytes exceeds ${this.#config.maxTxBytes}`,
      );
    }
    if (this.#byHash.has(hashKey) || this.#seen.has(hashKey)) throw ConsensusErrors.duplicateTx();
    if (
      ahead >= this.#config.maxWaitingChecks ||
      this.#byHash.size + ahead >= this.#config.maxTxs ||
      this.#bytes + tx.length > this.#config.maxBytes
    ) {
      throw MempoolErrors.full();
    }
  }

  async #add(tx: Uint8Array, hash: Uint8Array, hashKey: string): Promise<AddedTx> {
    this.#admissible(tx, hashKey, 0);
    const check = await this.#app.checkTx(tx, 'new');
    // A rejected transaction is not remembered: it may become valid later (e.g. once its nonce is due).
    if (check.error) throw new CodedError(check.error.module, check.error.code, check.error.message);
    this.#remember(hashKey);
    this.#insert({
      tx,
      hashKey,
      sender: check.sender ? toHex(check.sender) : `tx:${hashKey}`,
      nonce: check.nonce ?? 0n,
      priority: check.priority,
      seq: this.#seq++,
      addedAtHeight: this.#height,
    });
    for (const listener of this.#listeners) listener(tx, hash);
    return { hash, check };
  }

  /**
   * Transactions for a proposal: highest priority first, each sender's in nonce order, within `maxBytes`
   * and `maxTxs`. Nothing is removed; `update` does that once the block is committed.
   */
  reap(maxBytes: number, maxTxs = Number.POSITIVE_INFINITY): Uint8Array[] {
    const heads = new PriorityQueue<{ queue: Entry[]; index: number }>((a, b) => {
      const x = a.queue[a.index]!;
      const y = b.queue[b.index]!;
      return x.priority !== y.priority ? x.priority > y.priority : x.seq < y.seq;
    });
    for (const queue of this.#senders.values()) heads.push({ queue, index: 0 });
    const out: Uint8Array[] = [];
    let bytes = 0;
    while (out.length < maxTxs) {
      const head = heads.pop();
      if (!head) break;
      const entry = head.queue[head.index]!;
      // A sender's later transactions depend on this one: if it does not fit, skip the sender entirely.
      if (bytes + entry.tx.length > maxBytes) continue;
      out.push(entry.tx);
      bytes += entry.tx.length;
      if (head.index + 1 < head.queue.length) heads.push({ queue: head.queue, index: head.index + 1 });
    }
    return out;
  }

  /**
   * After block `height` is committed: drops its transactions, evicts expired ones, and re-checks the rest
   * against the new state in arrival order (which keeps each sender's nonce order); failures are dropped.
   */
  update(height: number, committed: Uint8Array[]): Promise<void> {
    return this.#serialized(() => this.#update(height, committed));
  }

  /**
   * Runs the application's `commit` and this pool's update as one step, so no transaction is checked
   * between the new state becoming the check base and the re-check of what the pool holds (a sender's
   * next nonce would otherwise be refused in that window, as CometBFT avoids by locking its mempool).
   */
  commitAndUpdate(height: number, committed: Uint8Array[], commit: () => Promise<void>): Promise<void> {
    return this.#serialized(async () => {
      await commit();
      await this.#update(height, committed);
    });
  }

  async #update(height: number, committed: Uint8Array[]): Promise<void> {
    this.#height = height;
    for (const tx of committed) {
      const hashKey = transactionHashHex(tx);
      this.#remember(hashKey);
      const entry = this.#byHash.get(hashKey);
      if (entry) this.#removeEntry(entry);
    }
    const remaining = [...this.#byHash.values()].sort((a, b) => a.seq - b.seq);
    this.#clear();
    this.#app.beginRecheck?.();
    const ttl = this.#config.ttlBlocks;
    for (const entry of remaining) {
      if (ttl > 0 && height - entry.addedAtHeight >= ttl) {
        this.#dropped(entry, MempoolErrors.expired(ttl));
        continue;
      }
      const check = await this.#app.checkTx(entry.tx, 'recheck');
      if (check.error) {
        this.#dropped(entry, new CodedError(check.error.module, check.error.code, check.error.message));
        continue;
      }
      this.#insert({ ...entry, priority: check.priority });
    }
  }

  #dropped(entry: Entry, reason: CodedError): void {
    const hash = fromHex(entry.hashKey);
    for (const listener of this.#dropListeners) listener(hash, reason);
  }

  #insert(entry: Entry): void {
    let queue = this.#senders.get(entry.sender);
    if (!queue) {
      queue = [];
      this.#senders.set(entry.sender, queue);
    }
    let i = queue.length;
    while (i > 0 && queue[i - 1]!.nonce > entry.nonce) i--;
    queue.splice(i, 0, entry);
    this.#byHash.set(entry.hashKey, entry);
    this.#bytes += entry.tx.length;
  }

  #removeEntry(entry: Entry): void {
    const queue = this.#senders.get(entry.sender);
    if (queue) {
      const i = queue.indexOf(entry);
      if (i >= 0) queue.splice(i, 1);
      if (queue.length === 0) this.#senders.delete(entry.sender);
    }
    this.#byHash.delete(entry.hashKey);
    this.#bytes -= entry.tx.length;
  }

  #clear(): void {
    this.#senders.clear();
    this.#byHash.clear();
    this.#bytes = 0;
  }

  #remember(hashKey: string): void {
    this.#seen.delete(hashKey);
    this.#seen.set(hashKey, true);
    if (this.#seen.size > this.#config.seenCacheSize) this.#seen.delete(this.#seen.keys().next().value!);
  }

  #serialized<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#lock.then(fn, fn);
    this.#lock = run.catch(() => undefined);
    return run;
  }
}
