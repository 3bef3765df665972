/**
 * BFT time: a block's time is the voting-power-weighted median of the commit timestamps in its lastCommit
 * (CometBFT's BFT-time rule), and the genesis time for the first block. We chose it over proposer time
 * (PBTS) because every validator can recompute it exactly from the block, it needs no synchrony
 * parameters, and with less than a third of power faulty the median lies between honest timestamps. Votes
 * are stamped at least 1 ms after the previous block, so block times strictly increase.
 */
import type { Commit } from '../api/commit.ts';
import { CommitFlag } from '../api/commit.ts';
import type { ValidatorSet } from './validator_set.ts';

/** Weighted median of the commit-flag timestamps of `commit`, weighted by the deciding set's powers. */
export function weightedMedianTime(commit: Commit, validators: ValidatorSet): number {
  const weighted: Array<{ time: number; power: bigint }> = [];
  let total = 0n;
  commit.signatures.forEach((s, i) => {
    if (s.flag !== CommitFlag.commit) return;
    const power = validators.validators[i]?.power ?? 0n;
    weighted.push({ time: s.timestamp, power });
    total += power;
  });
  weighted.sort((a, b) => a.time - b.time);
  let half = total / 2n;
  for (const w of weighted) {
    if (half < w.power) return w.time;
    half -= w.power;
  }
  throw new RangeError('commit has no commit-flag signature');
}

/** Timestamp for an own vote: local time, but never at or before the last block's time. */
export function voteTimestamp(now: number, lastBlockTime: number): number {
  return Math.max(now, lastBlockTime + 1);
}
