/**
 * What the roothash keeps per runtime (`roothash.RuntimeState`): the descriptor in force, the genesis and
 * latest blocks, the commitment pool of the round in progress, its timeout, and liveness statistics for
 * the epoch; plus the per-round results and roots oasis-core's queries return.
 */
import {
  arrayCodec,
  boolCodec,
  bytesCodec,
  field,
  flagField,
  hexCodec,
  optionalCodec,
  structCodec,
  u64Codec,
  u64Field,
  withDefault,
} from '../../../codec/typed.ts';
import { CodecError } from '../../../errors.ts';
import { runtimeCodec } from '../../registry/api/runtime.ts';
import { blockCodec } from './block.ts';
import { executorCommitmentCodec } from './commitment.ts';
import { messageEventCodec } from './messages.ts';

/** Largest rank: a fresh pool has seen no scheduler yet (oasis-core `math.MaxUint64`). */
export const NO_RANK = (1n << 64n) - 1n;

/** The commitment pool of the round in progress. */
export const commitmentPoolCodec = structCodec({
  round: field(u64Codec),
  /** Best (lowest) scheduler rank whose commitment arrived this round. */
  highest_rank: field(withDefault(u64Codec, () => NO_RANK)),
  discrepancy: field(withDefault(boolCodec, () => false)),
  commitments: field(arrayCodec(executorCommitmentCodec), true),
});

/** A commitment pool. */
export type CommitmentPool = ReturnType<typeof commitmentPoolCodec.decode>;

/** Per-epoch liveness of committee workers, indexed by their position among the workers. */
export const livenessStatisticsCodec = structCodec({
  total_rounds: u64Field(false),
  live_rounds: field(arrayCodec(u64Codec), true),
});

/** Liveness statistics. */
export type LivenessStatistics = ReturnType<typeof livenessStatisticsCodec.decode>;

/** The roothash state of one runtime. */
export const runtimeStateCodec = structCodec({
  runtime: field(runtimeCodec),
  suspended: flagField(),
  genesis_block: field(blockCodec),
  last_block: field(blockCodec),
  last_block_height: u64Field(false),
  last_normal_round: u64Field(false),
  last_normal_height: u64Field(false),
  pool: field(optionalCodec(commitmentPoolCodec), true),
  /** Height at which the round times out (0: no timer armed). */
  timeout: u64Field(),
  liveness_stats: field(optionalCodec(livenessStatisticsCodec), true),
  /** The workers `liveness_stats` counts, in committee order (the committee is replaced before judging). */
  liveness_workers: field(optionalCodec(arrayCodec(bytesCodec(32))), true),
});

/** A runtime's roothash state. */
export type RuntimeState = ReturnType<typeof runtimeStateCodec.decode>;

/** What the last normal round produced (`roothash.RoundResults`). */
export const roundResultsCodec = structCodec({
  messages: field(arrayCodec(messageEventCodec), true),
  good_compute_entities: field(arrayCodec(bytesCodec(32)), true),
  bad_compute_entities: field(arrayCodec(bytesCodec(32)), true),
});

/** Round results. */
export type RoundResults = ReturnType<typeof roundResultsCodec.decode>;

/** A round's `[state_root, io_root]` (`roothash.RoundRoots`, a CBOR array). */
export type RoundRoots = [Uint8Array, Uint8Array];

/** Decodes round roots stored as a two-element array. */
export function decodeRoundRoots(v: unknown, path: string): RoundRoots {
  const hash = hexCodec(32);
  if (!Array.isArray(v) || v.length !== 2) throw new CodecError(path, 'expected [state_root, io_root]');
  return [hash.decode(v[0], `${path}[0]`), hash.decode(v[1], `${path}[1]`)];
}
