/**
 * Remembers raw Ethereum transactions already decoded and sender-recovered, by their bytes. A transaction
 * is checked at admission, checked again by the scheduler building a batch, and executed, all in the same
 * runtime process; decoding (with its secp256k1 recovery) is a pure function of the bytes, the chain and
 * the base fee, so the repeats can reuse the first result without changing any outcome. Failures are not
 * cached (they are cheap to repeat and never executed).
 */
import type { Common } from '@ethereumjs/common';
import { toHex } from '../../../../codec/bytes.ts';
import { decodeEthTransaction, type EthTransaction } from './raw_tx.ts';

/** Default number of decoded transactions remembered. */
export const DEFAULT_ETH_DECODE_CACHE_SIZE = 50_000;

/** A bounded cache of decoded transactions for one chain and base fee. */
export class EthTxDecoder {
  readonly #common: Common;
  readonly #baseFee: bigint;
  readonly #max: number;
  readonly #entries = new Map<string, EthTransaction>();
  /** Decodes answered from the cache (for tests and benchmarks). */
  hits = 0;

  constructor(common: Common, baseFee: bigint, max = DEFAULT_ETH_DECODE_CACHE_SIZE) {
    this.#common = common;
    this.#baseFee = baseFee;
    this.#max = max;
  }

  /** The decoded transaction of `payload` (cached, or decoded now); throws like `decodeEthTransaction`. */
  decode(payload: Uint8Array): EthTransaction {
    const key = toHex(payload);
    const cached = this.#entries.get(key);
    if (cached !== undefined) {
      this.hits++;
      return cached;
    }
    const tx = decodeEthTransaction(payload, this.#common, this.#baseFee);
    if (this.#entries.size >= this.#max) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(key, tx);
    return tx;
  }
}
