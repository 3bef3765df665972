/**
 * `consensus.prune` of a node's configuration, as oasis-node's: whether and how much consensus history
 * (blocks, commits, results, state versions) a node keeps. The kept window is refused when it is too short
 * for the engine: duplicate-vote evidence up to `EVIDENCE_MAX_AGE_BLOCKS` old is still verified against the
 * validator set of its height, so that much history must survive.
 */
import { durationMs, enumOfStrings } from '../../codec/config_values.ts';
import { type Decoder, optional, struct, text, uint } from '../../codec/schema.ts';
import { CodecError } from '../../errors.ts';
import { EVIDENCE_MAX_AGE_BLOCKS } from './evidence_handler.ts';

/** Prune strategies: keep everything, or the last `num_kept` heights. */
export type PruneStrategy = 'none' | 'keep_n';

/** Validated prune options; `interval` is how often the pruner runs, in milliseconds. */
export interface PruneOptions {
  strategy: PruneStrategy;
  num_kept: number;
  interval: number;
}

/**
 * The shortest window keep_n accepts: evidence as old as the age limit plus the chain state before its
 * height, and the height being decided.
 */
export const MIN_PRUNE_NUM_KEPT = EVIDENCE_MAX_AGE_BLOCKS + 2;
/** oasis-node floors the interval at one second. */
export const MIN_PRUNE_INTERVAL_MS = 1000;

/** Defaults: oasis-node v25's (prune nothing; keep_n keeps 3,600 heights; run every 2 minutes). */
export function defaultPruneOptions(): PruneOptions {
  return { strategy: 'none', num_kept: 3600, interval: 120_000 };
}

const strategy: Decoder<PruneStrategy> = (v, p) =>
  enumOfStrings(['none', 'keep_n'] as const)(text(v, p).toLowerCase(), p);

/** Decodes a `consensus.prune` section as written in a file (every key optional; checked once composed). */
export const pruneOptionsDecoder = struct({
  strategy: optional(strategy),
  num_kept: optional(uint),
  interval: optional(durationMs),
});

/**
 * Checks composed prune options (file, then flags, over the defaults): refuses a keep_n window too short
 * for the engine, naming the minimum, and floors the interval. `path` names the section in errors.
 */
export function checkPruneOptions(o: PruneOptions, path = 'consensus.prune'): PruneOptions {
  if (o.strategy === 'keep_n' && o.num_kept < MIN_PRUNE_NUM_KEPT) {
    throw new CodecError(
      `${path}.num_kept`,
      `keep_n must keep at least ${MIN_PRUNE_NUM_KEPT} heights (duplicate-vote evidence up to ${EVIDENCE_MAX_AGE_BLOCKS} blocks old is still verified against its height's validators), got ${o.num_kept}`,
    );
  }
  return { ...o, interval: Math.max(MIN_PRUNE_INTERVAL_MS, o.interval) };
}
