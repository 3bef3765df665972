/** The `mempool` section of a node's configuration: how many transactions and bytes it holds, and for how long. */
import { optional, struct, uint } from '../codec/schema.ts';
import { DEFAULT_MEMPOOL_CONFIG, type MempoolConfig } from './mempool.ts';

/** Mempool options. */
export interface MempoolOptions {
  max_txs: number;
  max_bytes: number;
  /** A transaction still pending after this many blocks is evicted (0 = never). */
  ttl_blocks: number;
}

/** Defaults: the pool's own. */
export function defaultMempoolOptions(): MempoolOptions {
  return {
    max_txs: DEFAULT_MEMPOOL_CONFIG.maxTxs,
    max_bytes: DEFAULT_MEMPOOL_CONFIG.maxBytes,
    ttl_blocks: DEFAULT_MEMPOOL_CONFIG.ttlBlocks,
  };
}

/** Decodes a `mempool` section as written in a file (every key optional). */
export const mempoolOptionsDecoder = struct({
  max_txs: optional(uint, 'Most transactions the pool holds; more are refused until it drains'),
  max_bytes: optional(uint, 'Most bytes of transactions the pool holds'),
  ttl_blocks: optional(uint, 'A transaction still pending after this many blocks is evicted (0: never)'),
});

/** The pool's limits from its options and the chain's largest transaction (genesis `max_tx_size`). */
export function mempoolConfig(o: MempoolOptions, maxTxBytes: number): Partial<MempoolConfig> {
  return { maxTxs: o.max_txs, maxBytes: o.max_bytes, maxTxBytes, ttlBlocks: o.ttl_blocks };
}
