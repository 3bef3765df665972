/**
 * The light client's verification rules (CometBFT `light/verifier.go`, in our formats): whether a header
 * can be trusted given one already trusted. Adjacent heights follow the hash chain of validator sets
 * (`next_validators_hash`); non-adjacent heights skip ahead when more than the trust level (1/3) of the
 * trusted set signed the new commit, which no coalition below that fraction can forge. Pure functions:
 * the time is passed in.
 */
import { bytesEqual, toHex } from '../../codec/bytes.ts';
import { CodedError } from '../../errors.ts';
import { blockHash } from '../api/block.ts';
import {
  type Commit,
  CommitFlag,
  type CommitValidator,
  commitEntryVote,
  verifyCommit,
} from '../api/commit.ts';
import { type LightBlock, validatorsHash } from '../api/light_block.ts';
import { verifyVote } from '../api/vote.ts';
import { lightError } from './errors.ts';

/** A fraction of voting power, in [1/3, 1]. */
export interface TrustLevel {
  numerator: bigint;
  denominator: bigint;
}

/** CometBFT's default trust level: more than 1/3 of the trusted set must have signed. */
export const DEFAULT_TRUST_LEVEL: TrustLevel = Object.freeze({ numerator: 1n, denominator: 3n });

/** What every verification step needs besides the two blocks. */
export interface VerifyContext {
  chainContext: string;
  /** How long a verified header may serve as a trust base, ms. */
  trustPeriodMs: number;
  /** The current time, unix ms. */
  now: number;
  /** How far ahead of `now` a header's time may be, ms. */
  maxClockDriftMs: number;
  trustLevel: TrustLevel;
}

/** Rejects trust levels outside [1/3, 1] (below 1/3 a minority could forge a skip). */
export function checkTrustLevel(level: TrustLevel): void {
  const { numerator: n, denominator: d } = level;
  if (d <= 0n || n * 3n < d || n > d) {
    throw lightError('badOptions', `trust level ${n}/${d} is outside [1/3, 1]`);
  }
}

/**
 * Checks a light block is self-consistent for `chainContext`: the commit is for this header's hash and
 * height, and the validators are the ones the header names. Returns the block hash. Signatures are not
 * checked here.
 */
export function checkLightBlock(b: LightBlock, chainContext: string): Uint8Array {
  const h = b.header;
  if (h.chainId !== chainContext) throw lightError('invalidLightBlock', `header of chain ${h.chainId}`);
  const hash = blockHash(h);
  if (b.commit.height !== h.height) {
    throw lightError('invalidLightBlock', `commit height ${b.commit.height} for header ${h.height}`);
  }
  if (!bytesEqual(b.commit.blockHash, hash))
    throw lightError('invalidLightBlock', 'commit for another block');
  if (!bytesEqual(validatorsHash(b.validators), h.validatorsHash)) {
    throw lightError('invalidLightBlock', `validators do not match validators_hash at ${h.height}`);
  }
  return hash;
}

/** True when `trusted` can no longer be used as a trust base at `now`. */
export function isExpired(trusted: LightBlock, trustPeriodMs: number, now: number): boolean {
  return trusted.header.time + trustPeriodMs <= now;
}

/**
 * Voting power of `trusted` validators that signed `commit` for its block (entries matched by key; each
 * counted signature verified). Power of keys the trusted set does not know counts for nothing.
 */
export function trustedPowerSigned(
  commit: Commit,
  commitValidators: readonly CommitValidator[],
  trusted: readonly CommitValidator[],
  chainContext: string,
): bigint {
  const powers = new Map(trusted.map((v) => [toHex(v.publicKey), v.power]));
  let signed = 0n;
  commitValidators.forEach((v, i) => {
    if (commit.signatures[i]?.flag !== CommitFlag.commit) return;
    const power = powers.get(toHex(v.publicKey));
    if (power === undefined) return;
    const vote = commitEntryVote(commit, i, v.publicKey);
    if (vote === null || !verifyVote(vote, chainContext)) {
      throw lightError('invalidCommit', `bad signature of entry ${i} at ${commit.height}`);
    }
    signed += power;
  });
  return signed;
}

/** Total power of a set. */
export function totalPower(validators: readonly CommitValidator[]): bigint {
  return validators.reduce((sum, v) => sum + v.power, 0n);
}

function checkCommonRules(trusted: LightBlock, untrusted: LightBlock, ctx: VerifyContext): void {
  if (isExpired(trusted, ctx.trustPeriodMs, ctx.now)) {
    throw lightError('trustExpired', `trusted header ${trusted.header.height} is past the trust period`);
  }
  checkLightBlock(untrusted, ctx.chainContext);
  const t = trusted.header;
  const u = untrusted.header;
  if (u.height <= t.height)
    throw lightError('invalidLightBlock', `height ${u.height} is not above ${t.height}`);
  if (u.time <= t.time) throw lightError('badTime', `time of ${u.height} is not after that of ${t.height}`);
  if (u.time >= ctx.now + ctx.maxClockDriftMs) {
    throw lightError('badTime', `header ${u.height} is from the future (${u.time} ms)`);
  }
}

/** Checks more than 2/3 of the block's own validators signed its commit. */
export function verifyOwnCommit(b: LightBlock, chainContext: string): void {
  try {
    verifyCommit(b.commit, b.validators, chainContext, b.header.height, b.commit.blockHash);
  } catch (err) {
    if (err instanceof CodedError) throw lightError('invalidCommit', `${b.header.height}: ${err.message}`);
    throw err;
  }
}

/** Verifies `untrusted` at `trusted.height + 1`: it must be signed by the set `trusted` announced next. */
export function verifyAdjacent(trusted: LightBlock, untrusted: LightBlock, ctx: VerifyContext): void {
  if (untrusted.header.height !== trusted.header.height + 1) {
    throw lightError('invalidLightBlock', 'headers are not adjacent');
  }
  checkCommonRules(trusted, untrusted, ctx);
  if (!bytesEqual(untrusted.header.validatorsHash, trusted.header.nextValidatorsHash)) {
    throw lightError(
      'invalidLightBlock',
      `validators of ${untrusted.header.height} are not the announced ones`,
    );
  }
  verifyOwnCommit(untrusted, ctx.chainContext);
}

/**
 * Verifies `untrusted` above `trusted + 1`: more than the trust level of the trusted set signed it (else
 * `notEnoughTrust`: bisect), then more than 2/3 of its own set (checked last: the costlier check).
 */
export function verifyNonAdjacent(trusted: LightBlock, untrusted: LightBlock, ctx: VerifyContext): void {
  if (untrusted.header.height === trusted.header.height + 1) {
    throw lightError('invalidLightBlock', 'headers are adjacent');
  }
  checkCommonRules(trusted, untrusted, ctx);
  const signed = trustedPowerSigned(
    untrusted.commit,
    untrusted.validators,
    trusted.validators,
    ctx.chainContext,
  );
  const needed = (totalPower(trusted.validators) * ctx.trustLevel.numerator) / ctx.trustLevel.denominator;
  if (signed <= needed) {
    throw lightError(
      'notEnoughTrust',
      `${signed} of the trusted power signed ${untrusted.header.height}, more than ${needed} needed`,
    );
  }
  verifyOwnCommit(untrusted, ctx.chainContext);
}

/** One verification step from `trusted` to a higher `untrusted`, adjacent or skipping. */
export function verifyStep(trusted: LightBlock, untrusted: LightBlock, ctx: VerifyContext): void {
  if (untrusted.header.height === trusted.header.height + 1) verifyAdjacent(trusted, untrusted, ctx);
  else verifyNonAdjacent(trusted, untrusted, ctx);
}

/**
 * Backwards step: `older` is trusted because `newer` (trusted) names its hash as the previous block and
 * is later in time. Returns nothing; throws when the hash chain breaks.
 */
export function verifyBackwards(newer: LightBlock, older: LightBlock, chainContext: string): void {
  const hash = checkLightBlock(older, chainContext);
  if (older.header.height + 1 !== newer.header.height)
    throw lightError('invalidLightBlock', 'not the previous height');
  if (!bytesEqual(newer.header.lastBlockHash, hash)) {
    throw lightError(
      'invalidLightBlock',
      `block ${older.header.height} is not the one ${newer.header.height} follows`,
    );
  }
  if (older.header.time >= newer.header.time)
    throw lightError('badTime', `time of ${older.header.height} is not earlier`);
}
