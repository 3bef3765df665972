/**
 * A runtime's transaction pool on one node: checked transactions waiting for a round, in arrival order,
 * deduplicated by hash and bounded in count and bytes. The scheduler takes its batch from the front; a
 * finalized round removes what it included, on every node that saw its proposal.
 */
import { toHex } from '../../../codec/bytes.ts';
import { sha512_256 } from '../../../crypto/hash.ts';
import { CodedError } from '../../../errors.ts';

/** Limits of a pool. */
export interface TxPoolLimits {
  maxTxs: number;
  maxBytes: number;
}

/** Raised when the pool is full. */
export const poolFull = () => new CodedError('runtime/txpool', 1, 'txpool: pool is full');

/** Pending runtime transactions. */
export class RuntimeTxPool {
  readonly #limits: TxPoolLimits;
  /** Insertion-ordered (Map keeps order), by hex hash. */
  readonly #txs = new Map<string, Uint8Array>();
  #bytes = 0;

  constructor(limits: TxPoolLimits) {
    this.#limits = limits;
  }

  /** Transactions waiting. */
  get size(): number {
    return this.#txs.size;
  }

  /** True when a transaction with this hash is waiting. */
  has(hash: Uint8Array): boolean {
    return this.#txs.has(toHex(hash));
  }

  /** Adds a (checked) transaction; false when it was already there. Throws `poolFull`. */
  add(tx: Uint8Array): boolean {
    const key = toHex(sha512_256(tx));
    if (this.#txs.has(key)) return false;
    if (this.#txs.size >= this.#limits.maxTxs || this.#bytes + tx.length > this.#limits.maxBytes)
      throw poolFull();
    this.#txs.set(key, tx);
    this.#bytes += tx.length;
    return true;
  }

  /** The oldest transactions, up to `maxTxs` and `maxBytes` in total, left in the pool. */
  peek(maxTxs: number, maxBytes: number): Uint8Array[] {
    const out: Uint8Array[] = [];
    let bytes = 0;
    for (const tx of this.#txs.values()) {
      if (out.length >= maxTxs) break;
      if (bytes + tx.length > maxBytes) continue;
      out.push(tx);
      bytes += tx.length;
    }
    return out;
  }

  /** Every waiting transaction, oldest first. */
  all(): Uint8Array[] {
    return [...this.#txs.values()];
  }

  /** Removes the transactions with these hashes (included in a round, or no longer valid). */
  remove(hashes: Iterable<Uint8Array>): void {
    for (const h of hashes) {
      const key = toHex(h);
      const tx = this.#txs.get(key);
      if (tx === undefined) continue;
      this.#txs.delete(key);
      this.#bytes -= tx.length;
    }
  }
}
