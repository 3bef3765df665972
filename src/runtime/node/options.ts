/**
 * The runtime section of a node's configuration: the ParaTimes a node hosts (`runtimes`) and how its
 * executor behaves (`debug.executor_mode`, test networks only). The node's config composes these.
 */
import type { CborValue } from '../../codec/cbor.ts';
import { durationMs, enumOfStrings, nonEmpty, runtimeIdHex } from '../../codec/config_values.ts';
import { anyValue, type Decoder, optional, struct, text, uint } from '../../codec/schema.ts';
import { CodecError } from '../../errors.ts';

/** One hosted ParaTime. */
export interface RuntimeConfig {
  /** Runtime ID, 64 hex digits. */
  id: string;
  /** Which built-in ParaTime implements it (see src/runtime/process/paratimes/catalog.ts). */
  paratime: string;
  /** ParaTime-specific settings (e.g. the accounts ParaTime's genesis balances); identical on every node. */
  config: CborValue;
  /** How much of the runtime's history (blocks, executed transactions) to keep; default: everything. */
  prune?: RuntimePruneOptions;
}

/** oasis-node's `runtime.prune`: keep everything, or the last `num_kept` rounds; `interval` in milliseconds. */
export interface RuntimePruneOptions {
  strategy: 'none' | 'keep_last';
  num_kept: number;
  interval: number;
}

/** Defaults: oasis-node v25's (prune nothing; keep_last keeps 600 rounds; run every 2 minutes). */
export function defaultRuntimePruneOptions(): RuntimePruneOptions {
  return { strategy: 'none', num_kept: 600, interval: 120_000 };
}

const runtimePruneFields = struct({
  strategy: optional((v, p) => enumOfStrings(['none', 'keep_last'] as const)(text(v, p).toLowerCase(), p)),
  num_kept: optional(uint),
  interval: optional(durationMs),
});

/** Decodes a runtime's `prune` section over the defaults; keep_last keeps at least the latest round. */
const runtimePruneDecoder: Decoder<RuntimePruneOptions> = (v, p) => {
  const f = runtimePruneFields(v, p);
  const d = defaultRuntimePruneOptions();
  const o = {
    strategy: f.strategy ?? d.strategy,
    num_kept: f.num_kept ?? d.num_kept,
    interval: Math.max(1000, f.interval ?? d.interval),
  };
  if (o.strategy === 'keep_last' && o.num_kept < 1)
    throw new CodecError(`${p}.num_kept`, 'keep_last must keep at least 1 round');
  return o;
};

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
  id: runtimeIdHex,
  paratime: nonEmpty,
  config: optional(anyValue),
  prune: optional(runtimePruneDecoder),
});

/** Decodes one entry of `runtimes`. */
export const runtimeConfigDecoder: Decoder<RuntimeConfig> = (v, p) => {
  const r = runtimeFields(v, p);
  return {
    id: r.id,
    paratime: r.paratime,
    config: r.config ?? null,
    ...(r.prune ? { prune: r.prune } : {}),
  };
};
