/**
 * The double-sign rule as a pure function, so the guard, the simulator and tests share one definition.
 * Positions (height, round, step) compare lexicographically; only a strictly higher one may be signed
 * fresh, and the exact same message at the same position gets the signature already released for it.
 */
import { bytesEqual } from '../../codec/bytes.ts';
import { DoubleSignError, SignStep } from '../api/durability.ts';
import { MessageType } from '../api/vote.ts';
import type { SignState } from './sign_state.ts';

/** A position a signature is requested for. */
export interface SignPosition {
  height: number;
  round: number;
  step: SignStep;
}

/** What the guard must do: sign afresh, or hand back the earlier signature of identical bytes. */
export type SignDecision = { kind: 'fresh' } | { kind: 'repeat'; signature: Uint8Array };

const STEPS: readonly number[] = [SignStep.propose, SignStep.prevote, SignStep.precommit];

/** Throws a RangeError unless the position is well formed (non-negative integers, a known step). */
export function checkPositionShape(p: SignPosition): void {
  if (!Number.isSafeInteger(p.height) || p.height < 1) throw new RangeError(`invalid height ${p.height}`);
  if (!Number.isSafeInteger(p.round) || p.round < 0) throw new RangeError(`invalid round ${p.round}`);
  if (!STEPS.includes(p.step)) throw new RangeError(`invalid step ${p.step}`);
}

/** Negative, zero or positive as `a` is below, at or above `b`. */
export function comparePositions(a: SignPosition, b: SignPosition): number {
  return a.height - b.height || a.round - b.round || a.step - b.step;
}

function describe(p: SignPosition): string {
  return `(height ${p.height}, round ${p.round}, step ${p.step})`;
}

/**
 * Decides whether `signBytes` may be signed at `position` given the last signed state (undefined before
 * the first signature). Throws `DoubleSignError` for a lower position, or the same position with other
 * bytes.
 */
export function checkSignPosition(
  last: SignState | undefined,
  position: SignPosition,
  signBytes: Uint8Array,
): SignDecision {
  checkPositionShape(position);
  if (last === undefined) return { kind: 'fresh' };
  const order = comparePositions(position, last);
  if (order > 0) return { kind: 'fresh' };
  if (order < 0) {
    throw new DoubleSignError(`refusing to sign ${describe(position)}: already signed ${describe(last)}`);
  }
  if (!bytesEqual(signBytes, last.signBytes)) {
    throw new DoubleSignError(`refusing to sign conflicting data at ${describe(position)}`);
  }
  return { kind: 'repeat', signature: new Uint8Array(last.signature) };
}

/** The guard step of a consensus message type (proposal 1, prevote 2, precommit 3). */
export function signStepOf(type: (typeof MessageType)[keyof typeof MessageType]): SignStep {
  if (type === MessageType.proposal) return SignStep.propose;
  return type === MessageType.prevote ? SignStep.prevote : SignStep.precommit;
}
