/**
 * Where services learn the current epoch. The beacon service will own epochs; until then (and in tests)
 * a fixed-interval source derives them from the height, as oasis-core's insecure beacon does
 * (epoch N starts at height N × interval).
 */
import type { StateReader } from '../../state/api.ts';

/** Epoch time, as oasis-core's `beacon.EpochTime` (u64). */
export type EpochTime = bigint;

/** Supplies the epoch in effect at a height. */
export interface EpochSource {
  /** Epoch in effect at `height` (after the beacon's BeginBlock ran for that height). */
  currentEpoch(state: StateReader, height: number): EpochTime;
  /** True when `height` is the first block of a new epoch (epoch-change work runs in its EndBlock). */
  epochChanged(state: StateReader, height: number): boolean;
}

/** Epochs of `interval` blocks: epoch = floor(height / interval), changing at multiples of `interval`. */
export function fixedIntervalEpochs(interval: number): EpochSource {
  if (!Number.isSafeInteger(interval) || interval < 1) throw new RangeError('epoch interval must be ≥ 1');
  return {
    currentEpoch: (_state, height) => BigInt(Math.floor(height / interval)),
    epochChanged: (_state, height) => height > 0 && height % interval === 0,
  };
}
