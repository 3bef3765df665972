/**
 * Verification of duplicate-vote evidence: the rules that make it a proof that one validator, in the set
 * at that height, signed two conflicting votes, recently enough to still be punished and not punished
 * before. Cheap structural rules run first, signatures last.
 */
import { bytesEqual } from '../../codec/bytes.ts';
import {
  compareVoteBlocks,
  type DuplicateVoteEvidence,
  evidenceHash,
  isCanonicalOrder,
} from '../api/evidence.ts';
import { type Vote, verifyVote } from '../api/vote.ts';
import { evidenceError } from './errors.ts';

/** What verification needs to know about the chain. */
export interface EvidenceContext {
  /** Chain context the votes are signed for. */
  chainContext: string;
  /** Voting power of `publicKey` in the validator set of `height`; undefined (or 0) when not a member. */
  validatorPower(height: number, publicKey: Uint8Array): bigint | undefined;
  /** Total voting power of the validator set of `height` (for the `Misbehavior` handed to the app). */
  totalPower(height: number): bigint;
  /** Height of the latest committed block. */
  currentHeight: number;
  /** Evidence older than this many blocks is expired. */
  maxAgeBlocks: number;
  /** True when evidence with this hash was committed in an earlier block. */
  alreadyCommitted(hash: Uint8Array): boolean;
}

function sameVotePosition(a: Vote, b: Vote): void {
  if (!bytesEqual(a.validator, b.validator))
    throw evidenceError('differentValidators', 'votes by different validators');
  if (a.height !== b.height) throw evidenceError('differentHeights', `heights ${a.height} and ${b.height}`);
  if (a.round !== b.round) throw evidenceError('differentRounds', `rounds ${a.round} and ${b.round}`);
  if (a.type !== b.type) throw evidenceError('differentTypes', `vote types ${a.type} and ${b.type}`);
}

/** True when evidence of `height` is too old to act on at `currentHeight`. */
export function isExpired(height: number, currentHeight: number, maxAgeBlocks: number): boolean {
  return currentHeight - maxAgeBlocks > height;
}

/**
 * Checks every rule of duplicate-vote evidence; throws the coded error of the first broken one, in this
 * order: same validator, height, round and type; different blocks; canonical order; not from the future;
 * not expired; not already committed; validator in the set at that height; both signatures valid.
 * Returns the evidence hash.
 */
export function verifyDuplicateVote(ev: DuplicateVoteEvidence, ctx: EvidenceContext): Uint8Array {
  const { voteA: a, voteB: b } = ev;
  sameVotePosition(a, b);
  if (compareVoteBlocks(a, b) === 0) throw evidenceError('sameBlock', 'both votes are for the same block');
  if (!isCanonicalOrder(ev))
    throw evidenceError('notCanonical', "vote A's block hash must sort before vote B's");
  if (a.height > ctx.currentHeight) {
    throw evidenceError(
      'futureHeight',
      `height ${a.height} is above the current height ${ctx.currentHeight}`,
    );
  }
  if (isExpired(a.height, ctx.currentHeight, ctx.maxAgeBlocks)) {
    throw evidenceError('expired', `height ${a.height} is older than ${ctx.maxAgeBlocks} blocks`);
  }
  const hash = evidenceHash(ev);
  if (ctx.alreadyCommitted(hash)) throw evidenceError('alreadyCommitted', 'already committed');
  const power = ctx.validatorPower(a.height, a.validator);
  if (power === undefined || power <= 0n) {
    throw evidenceError('unknownValidator', `not a validator at height ${a.height}`);
  }
  if (!verifyVote(a, ctx.chainContext)) throw evidenceError('invalidSignature', 'vote A signature invalid');
  if (!verifyVote(b, ctx.chainContext)) throw evidenceError('invalidSignature', 'vote B signature invalid');
  return hash;
}
