/**
 * A runtime's transaction pool on one node: checked transactions waiting for a round, deduplicated by hash
 * and bounded in count, bytes and transactions per sender. Each transaction belongs to its sender's queue,
 * ordered by the sender's sequence number (nonce), so a sender may have several in flight: one whose
 * nonce is ahead of the state (its predecessor not executed yet, or not arrived yet over gossip) waits
 * here instead of being refused. The scheduler takes its batch in arrival order, each sender's
 * transactions in nonce order; a finalized round removes what it included, on every node that saw its
 * proposal.
 */
import { toHex } from '../../../codec/bytes.ts';
import { sha512_256 } from '../../../crypto/hash.ts';
import { CodedError } from '../../../errors.ts';

/** Limits of a pool. */
export interface TxPoolLimits {
  maxTxs: number;
  maxBytes: number;
  /** Transactions one sender may have waiting (default 64). */
  maxPerSender?: number;
}

/** Default of `TxPoolLimits.maxPerSender`. */
export const DEFAULT_MAX_TXS_PER_SENDER = 64;

/** Who sent a transaction and its place in the sender's sequence (the runtime's check metadata). */
export interface TxSender {
  sender: Uint8Array;
  sender_seq: bigint;
}

/** Errors of the pool (module `runtime/txpool`). */
export const TxPoolErrors = {
  /** The pool holds as many transactions or bytes as it may: retry later. */
  full: () => new CodedError('runtime/txpool', 1, 'txpool: pool is full'),
  /** The sender already has as many transactions waiting as one sender may. */
  senderFull: (max: number) =>
    new CodedError('runtime/txpool', 2, `txpool: sender already has ${max} transactions waiting`),
  /** Another transaction of the same sender with the same nonce is waiting. */
  nonceTaken: (seq: bigint) =>
    new CodedError('runtime/txpool', 3, `txpool: a transaction with nonce ${seq} of this sender is waiting`),
};

interface Entry {
  tx: Uint8Array;
  key: string;
  sender: string;
  seq: bigint;
  /** The runtime round the transaction was admitted in. */
  round: bigint;
}

/** Pending runtime transactions. */
export class RuntimeTxPool {
  readonly #limits: Required<TxPoolLimits>;
  /** Insertion-ordered (Map keeps order), by hex hash. */
  readonly #txs = new Map<string, Entry>();
  /** Each sender's waiting transactions by nonce. */
  readonly #senders = new Map<string, Map<bigint, Entry>>();
  #bytes = 0;

  constructor(limits: TxPoolLimits) {
    this.#limits = { maxPerSender: DEFAULT_MAX_TXS_PER_SENDER, ...limits };
  }

  /** Transactions waiting. */
  get size(): number {
    return this.#txs.size;
  }

  /** True when no transaction of `bytes` more could be added. */
  isFull(bytes = 0): boolean {
    return this.#txs.size >= this.#limits.maxTxs || this.#bytes + bytes > this.#limits.maxBytes;
  }

  /** True when a transaction with this hash is waiting. */
  has(hash: Uint8Array): boolean {
    return this.#txs.has(toHex(hash));
  }

  /**
   * Adds a (checked) transaction of `from` (without it, the transaction is its own sender), admitted in
   * `round`; false when it was already there. Throws the `TxPoolErrors` and changes nothing then.
   */
  add(tx: Uint8Array, from?: TxSender, round = 0n): boolean {
    const key = toHex(sha512_256(tx));
    if (this.#txs.has(key)) return false;
    if (this.isFull(tx.length)) throw TxPoolErrors.full();
    const sender = from === undefined ? key : toHex(from.sender);
    const seq = from?.sender_seq ?? 0n;
    const queue = this.#senders.get(sender);
    if (queue?.has(seq)) throw TxPoolErrors.nonceTaken(seq);
    if ((queue?.size ?? 0) >= this.#limits.maxPerSender)
      throw TxPoolErrors.senderFull(this.#limits.maxPerSender);
    const entry: Entry = { tx, key, sender, seq, round };
    this.#txs.set(key, entry);
    if (queue === undefined) this.#senders.set(sender, new Map([[seq, entry]]));
    else queue.set(seq, entry);
    this.#bytes += tx.length;
    return true;
  }

  /**
   * Up to `maxTxs` transactions of at most `maxBytes` in total, left in the pool: the oldest first, except
   * that a sender's transactions come in nonce order (a later-arrived lower nonce goes first). One that
   * does not fit is skipped, and so are the sender's higher nonces after it. Those whose hex hash `skip`
   * holds are passed over (a caller holding them already).
   */
  peek(maxTxs: number, maxBytes: number, skip?: ReadonlySet<string>): Uint8Array[] {
    const out: Uint8Array[] = [];
    const taken = new Set<string>(skip);
    const blocked = new Set<string>();
    let bytes = 0;
    for (const head of this.#txs.values()) {
      if (out.length >= maxTxs) break;
      if (taken.has(head.key) || blocked.has(head.sender)) continue;
      const queue = this.#senders.get(head.sender)!;
      const lower = queue.size === 1 ? [head] : [...queue.values()].filter((e) => e.seq <= head.seq);
      if (lower.length > 1) lower.sort((a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0));
      for (const e of lower) {
        if (taken.has(e.key)) continue;
        if (out.length >= maxTxs) break;
        if (bytes + e.tx.length > maxBytes) {
          blocked.add(e.sender);
          break;
        }
        out.push(e.tx);
        taken.add(e.key);
        bytes += e.tx.length;
      }
    }
    return out;
  }

  /** Every waiting transaction, oldest first. */
  all(): Uint8Array[] {
    return [...this.#txs.values()].map((e) => e.tx);
  }

  /**
   * The nonce `sender` would use next, given `stateNonce` (the next nonce in the latest state): past the
   * run of consecutive nonces from there that wait here, as Ethereum's `pending` transaction count.
   */
  nextNonce(sender: Uint8Array, stateNonce: bigint): bigint {
    const queue = this.#senders.get(toHex(sender));
    let next = stateNonce;
    while (queue?.has(next)) next++;
    return next;
  }

  /**
   * Drops transactions admitted before round `before`: a nonce whose predecessor never comes (or a
   * sender's flood of far-future nonces) would otherwise hold its place in the pool for ever.
   * Returns how many were dropped.
   */
  expire(before: bigint): number {
    const old: Uint8Array[] = [];
    for (const e of this.#txs.values()) if (e.round < before) old.push(sha512_256(e.tx));
    this.remove(old);
    return old.length;
  }

  /** Removes the transactions with these hashes (included in a round, or no longer valid). */
  remove(hashes: Iterable<Uint8Array>): void {
    for (const h of hashes) {
      const key = toHex(h);
      const entry = this.#txs.get(key);
      if (entry === undefined) continue;
      this.#txs.delete(key);
      this.#bytes -= entry.tx.length;
      const queue = this.#senders.get(entry.sender)!;
      queue.delete(entry.seq);
      if (queue.size === 0) this.#senders.delete(entry.sender);
    }
  }
}
