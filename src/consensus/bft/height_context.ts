/**
 * Everything the driver keeps for the height in progress: the engine, the blocks behind proposed value ids,
 * the application's validity verdicts, and the signed messages (first seen per sender and position) it
 * needs to build the commit, report equivocation and re-gossip.
 */
import { toHex } from '../../codec/bytes.ts';
import type { Block } from '../api/block.ts';
import type { Commit } from '../api/commit.ts';
import { MessageType, type Proposal, type Vote } from '../api/vote.ts';
import { ConsensusEngine } from './engine/engine.ts';
import type { TimeoutParams } from './engine/types.ts';
import type { ValidatorSet } from './validator_set.ts';

/** Key of a vote position: one per (type, round, validator). */
export function votePosition(v: Pick<Vote, 'type' | 'round' | 'validator'>): string {
  return `${v.type}/${v.round}/${toHex(v.validator)}`;
}

/** State of the height being decided. */
export class HeightContext {
  readonly engine: ConsensusEngine;
  /** Blocks by value id (hash hex). */
  readonly blocks = new Map<string, Block>();
  /** valid(v) per value id, computed once. */
  readonly validity = new Map<string, boolean>();
  /** The first proposal per round from that round's proposer. */
  readonly proposals = new Map<number, { proposal: Proposal; block: Block }>();
  /** First-seen votes per position. */
  readonly votes = new Map<string, Vote>();
  /**
   * Later, conflicting votes for nil or a proposed block, per position and value: the engine counts them
   * for their value (see vote_keeper.ts), so they are kept to relay and to build a full commit.
   */
  readonly extraVotes = new Map<string, Vote>();
  /** Positions whose conflicting vote for an unproposed value was already reported (one report each). */
  readonly reportedEquivocations = new Set<string>();
  /** Set once the height is decided (by the engine or a verified catch-up commit). */
  decided: { round: number; block: Block; hash: Uint8Array } | null = null;

  constructor(
    readonly height: number,
    readonly validators: ValidatorSet,
    /** Commit of the previous height to include when proposing (null at the initial height). */
    readonly lastCommit: Commit | null,
    self: string | null,
    timeouts: TimeoutParams,
  ) {
    const powers = new Map(validators.validators.map((v) => [toHex(v.publicKey), v.power]));
    this.engine = new ConsensusEngine({
      height,
      powers,
      proposer: (round) => toHex(validators.proposerForRound(round).publicKey),
      self: self !== null && powers.has(self) ? self : null,
      timeouts,
    });
  }

  /** Precommits of `round` by validator hex, preferring one for `hash` (for building a commit). */
  precommitsOf(round: number, hash: Uint8Array): Map<string, Vote> {
    const want = toHex(hash);
    const out = new Map<string, Vote>();
    for (const v of [...this.votes.values(), ...this.extraVotes.values()]) {
      if (v.type !== MessageType.precommit || v.round !== round) continue;
      const key = toHex(v.validator);
      const have = out.get(key);
      if (have === undefined || (have.blockHash === null ? '' : toHex(have.blockHash)) !== want)
        out.set(key, v);
    }
    return out;
  }

  /** Votes of the given rounds (for re-gossip), first-seen then extra, in a stable order. */
  votesOfRounds(rounds: ReadonlySet<number>): Vote[] {
    return [...this.votes.values(), ...this.extraVotes.values()].filter((v) => rounds.has(v.round));
  }
}
