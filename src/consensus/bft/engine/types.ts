/**
 * Inputs, outputs and parameters of the consensus engine: the paper's Algorithm 1 for one height, as a
 * deterministic state machine. Values are opaque ids (the driver uses block-hash hex), so the engine never
 * touches blocks, signatures, clocks or the network: the driver turns outputs into effects and feeds every
 * observed event back as an input.
 */

import type { CountingPolicy } from './vote_keeper.ts';

/** Opaque value id (the paper's id(v)); the driver uses the block hash in hex. */
export type ValueId = string;

/** The paper's three steps. */
export type Step = 'propose' | 'prevote' | 'precommit';

/** A vote kind. */
export type VoteKind = 'prevote' | 'precommit';

/** Timeout base and per-round increase, in milliseconds: timeoutX(r) = base + r·delta. */
export interface TimeoutParams {
  proposeMs: number;
  proposeDeltaMs: number;
  prevoteMs: number;
  prevoteDeltaMs: number;
  precommitMs: number;
  precommitDeltaMs: number;
}

/** CometBFT's default timeouts. */
export const DEFAULT_TIMEOUTS: TimeoutParams = Object.freeze({
  proposeMs: 3000,
  proposeDeltaMs: 500,
  prevoteMs: 1000,
  prevoteDeltaMs: 500,
  precommitMs: 1000,
  precommitDeltaMs: 500,
});

/** What the engine of one height needs to know. */
export interface EngineParams {
  height: number;
  /** Voting power per validator id (the driver uses consensus public key hex). */
  powers: ReadonlyMap<string, bigint>;
  /** proposer(h, r): deterministic and known to all. */
  proposer: (round: number) => string;
  /** Own validator id, or null for a non-validator that only follows. */
  self: string | null;
  timeouts: TimeoutParams;
  /**
   * DoS guard: how many distinct rounds above the current one a single sender may occupy in our buffers.
   * Honest senders occupy at most a couple; messages beyond the limit are dropped (gossip re-sends them).
   */
  maxFutureRoundsPerSender?: number;
  /**
   * `perValue` (default, the paper's reading): an equivocator's later votes also count for nil or a
   * proposed value; `firstSeen`: only a sender's first vote per (round, type) counts. See vote_keeper.ts.
   */
  countingPolicy?: CountingPolicy;
}

/** Inputs the engine reacts to. */
export type EngineInput =
  | {
      kind: 'proposal';
      round: number;
      value: ValueId;
      polRound: number;
      sender: string;
      /** The application's validity verdict on the proposed value (the paper's valid(v)). */
      valid: boolean;
    }
  | { kind: 'vote'; type: VoteKind; round: number; value: ValueId | null; sender: string }
  | { kind: 'timeout'; step: Step; round: number }
  /** The answer to `requestValue`: the paper's getValue(). */
  | { kind: 'proposeValue'; round: number; value: ValueId };

/** Effects the engine asks the driver to perform. */
export type EngineOutput =
  | { kind: 'proposal'; round: number; value: ValueId; polRound: number }
  | { kind: 'vote'; type: VoteKind; round: number; value: ValueId | null }
  | { kind: 'scheduleTimeout'; step: Step; round: number; durationMs: number }
  /** Ask for a fresh value to propose in `round` (answer with `proposeValue`). */
  | { kind: 'requestValue'; round: number }
  | { kind: 'decide'; round: number; value: ValueId }
  /** Two different votes from one validator for the same (h, r, type): the material of evidence. */
  | {
      kind: 'equivocation';
      type: VoteKind;
      round: number;
      sender: string;
      first: ValueId | null;
      second: ValueId | null;
    }
  /** Two different proposals from the proposer of one round. */
  | { kind: 'conflictingProposal'; round: number; sender: string; first: ValueId; second: ValueId };

/** timeoutX(r) for a step. */
export function timeoutFor(t: TimeoutParams, step: Step, round: number): number {
  switch (step) {
    case 'propose':
      return t.proposeMs + round * t.proposeDeltaMs;
    case 'prevote':
      return t.prevoteMs + round * t.prevoteDeltaMs;
    case 'precommit':
      return t.precommitMs + round * t.precommitDeltaMs;
  }
}
