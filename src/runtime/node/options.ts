/**
 * The runtime section of a node's configuration: the ParaTimes a node hosts (`runtimes`) and how its
 * executor behaves (`debug.executor_mode`, test networks only). The node's config composes these.
 */
import type { CborValue } from '../../codec/cbor.ts';
import {
  durationMs,
  enumOfStrings,
  nonEmpty,
  runtimeIdHex,
  showDurationMs,
} from '../../codec/config_values.ts';
import { anyValue, type Decoder, described, optional, refine, struct, uint } from '../../codec/schema.ts';
import { CodecError } from '../../errors.ts';

/** One hosted ParaTime. */
export interface RuntimeConfig {
  /** Runtime ID, 64 hex digits. */
  id: string;
  /** Which built-in ParaTime implements it (see src/runtime/process/paratimes/catalog.ts). */
  paratime: string;
  /** ParaTime-specific settings (e.g. the accounts ParaTime's genesis balances); identical on every node. */
  config: CborValue;
  /** How much of the runtime's history (blocks, executed transactions, state) to keep; default: everything. */
  prune?: RuntimePruneOptions;
  /** Bounds of this node's transaction pool for the runtime; default: `defaultTxPoolOptions()`. */
  tx_pool?: RuntimeTxPoolOptions;
}

/** Bounds of a runtime's transaction pool: past them a submission is refused at once (`runtime/txpool`). */
export interface RuntimeTxPoolOptions {
  max_txs: number;
  max_bytes: number;
  max_per_sender: number;
}

/** Defaults: 10,000 transactions, 64 MiB, 64 waiting per sender. */
export function defaultTxPoolOptions(): RuntimeTxPoolOptions {
  return { max_txs: 10_000, max_bytes: 64 * 1024 * 1024, max_per_sender: 64 };
}

const TX_POOL_DEFAULTS = defaultTxPoolOptions();

const txPoolFields = struct({
  max_txs: optional(uint, `Transactions the pool holds, at least 1 (default ${TX_POOL_DEFAULTS.max_txs})`),
  max_bytes: optional(uint, `Bytes the pool holds, at least 64 KiB (default ${TX_POOL_DEFAULTS.max_bytes})`),
  max_per_sender: optional(
    uint,
    `Transactions one sender may have waiting (later nonces wait for earlier ones), at least 1 (default ${TX_POOL_DEFAULTS.max_per_sender})`,
  ),
});

/** Decodes a runtime's `tx_pool` section over the defaults. */
const txPoolDecoder: Decoder<RuntimeTxPoolOptions> = refine(txPoolFields, (f) => ({
  max_txs: Math.max(1, f.max_txs ?? TX_POOL_DEFAULTS.max_txs),
  max_bytes: Math.max(64 * 1024, f.max_bytes ?? TX_POOL_DEFAULTS.max_bytes),
  max_per_sender: Math.max(1, f.max_per_sender ?? TX_POOL_DEFAULTS.max_per_sender),
}));

/**
 * oasis-node's `runtime.prune`: keep everything, or the last `num_kept` rounds; `interval` in milliseconds.
 * A round's state goes with its history (a query at a pruned round is refused).
 */
export interface RuntimePruneOptions {
  strategy: 'none' | 'keep_last';
  num_kept: number;
  interval: number;
}

/** Defaults: oasis-node v25's (prune nothing; keep_last keeps 600 rounds; run every 2 minutes). */
export function defaultRuntimePruneOptions(): RuntimePruneOptions {
  return { strategy: 'none', num_kept: 600, interval: 120_000 };
}

const RUNTIME_PRUNE_DEFAULTS = defaultRuntimePruneOptions();

const runtimePruneFields = struct({
  strategy: optional(
    enumOfStrings(['none', 'keep_last'] as const, { ignoreCase: true }),
    `\`none\` keeps every round; \`keep_last\` keeps the last \`num_kept\` (default ${RUNTIME_PRUNE_DEFAULTS.strategy})`,
  ),
  num_kept: optional(uint, `Rounds keep_last keeps, at least 1 (default ${RUNTIME_PRUNE_DEFAULTS.num_kept})`),
  interval: optional(
    durationMs,
    `How often the pruner runs, at least 1s (default ${showDurationMs(RUNTIME_PRUNE_DEFAULTS.interval)})`,
  ),
});

/** Decodes a runtime's `prune` section over the defaults; keep_last keeps at least the latest round. */
const runtimePruneDecoder: Decoder<RuntimePruneOptions> = refine(runtimePruneFields, (f, p) => {
  const d = defaultRuntimePruneOptions();
  const o = {
    strategy: f.strategy ?? d.strategy,
    num_kept: f.num_kept ?? d.num_kept,
    interval: Math.max(1000, f.interval ?? d.interval),
  };
  if (o.strategy === 'keep_last' && o.num_kept < 1)
    throw new CodecError(`${p}.num_kept`, 'keep_last must keep at least 1 round');
  return o;
});

/**
 * How the executor behaves (test networks only): `honest`; `dishonest` commits a wrong state root;
 * `straggler` executes but never commits.
 */
export type ExecutorMode = 'honest' | 'dishonest' | 'straggler';

/** The default executor mode. */
export const DEFAULT_EXECUTOR_MODE: ExecutorMode = 'honest';

/** Decodes `debug.executor_mode`. */
export const executorModeDecoder: Decoder<ExecutorMode> = enumOfStrings(['honest', 'dishonest', 'straggler']);

const runtimeFields = struct({
  id: described(runtimeIdHex, 'Runtime ID, as registered'),
  paratime: described(nonEmpty, 'Which built-in ParaTime implements it (e.g. `accounts`, `evm`)'),
  config: optional(anyValue, 'ParaTime-specific settings (e.g. genesis balances); identical on every node'),
  prune: optional(
    runtimePruneDecoder,
    "How much of the runtime's history (blocks, executed transactions and each round's state, for queries at that round) to keep",
  ),
  tx_pool: optional(
    txPoolDecoder,
    "Bounds of this node's transaction pool for the runtime; a submission past them is refused at once",
  ),
});

/** Decodes one entry of `runtimes`. */
export const runtimeConfigDecoder: Decoder<RuntimeConfig> = refine(runtimeFields, (r) => ({
  id: r.id,
  paratime: r.paratime,
  config: r.config ?? null,
  ...(r.prune ? { prune: r.prune } : {}),
  ...(r.tx_pool ? { tx_pool: r.tx_pool } : {}),
}));
