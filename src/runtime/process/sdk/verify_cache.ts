/**
 * Remembers transactions already authenticated, by the hash of their raw bytes. A transaction is
 * normally checked (mempool admission) and later executed by the same runtime process; verification is a
 * pure function of the raw bytes and the signature context, so the second signature check can be skipped
 * without changing any result. Failures are not cached (they are cheap to repeat and never executed).
 */
import { toHex } from '../../../codec/bytes.ts';
import { sha512_256 } from '../../../crypto/hash.ts';
import { type VerifiedTransaction, verifyTransaction } from './transaction.ts';

/** Default number of verified transactions remembered. */
export const DEFAULT_VERIFIED_CACHE_SIZE = 50_000;

/** A bounded cache of verified transactions for one signature context. */
export class VerifiedTxCache {
  readonly #context: string;
  readonly #max: number;
  readonly #entries = new Map<string, VerifiedTransaction>();
  hits = 0;

  constructor(context: string, max = DEFAULT_VERIFIED_CACHE_SIZE) {
    this.#context = context;
    this.#max = max;
  }

  /** The verified transaction for `raw` (from the cache, or verified now); throws like `verifyTransaction`. */
  verify(raw: Uint8Array): VerifiedTransaction {
    const id = toHex(sha512_256(raw));
    const cached = this.#entries.get(id);
    if (cached !== undefined) {
      this.hits++;
      return cached;
    }
    const tx = verifyTransaction(raw, this.#context);
    if (this.#entries.size >= this.#max) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(id, tx);
    return tx;
  }
}
