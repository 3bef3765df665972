/**
 * Counts voting power per (round, vote type, value) for one height, one vote per validator per
 * (round, type): the first one seen. A later different vote from the same validator is reported as an
 * equivocation and adds no weight, so an equivocator can never count twice toward a threshold.
 * Thresholds are the paper's integer tests: quorum 3w > 2n (2f+1), skip 3w > n (f+1).
 *
 * The alternative `perValue` policy is the paper's literal reading (and the Quint model's): a sender counts
 * once toward each value it voted for, and once toward "any". It is as safe (quorum intersection needs only
 * correct senders to vote once) and is used to replay the model's traces; an equivocator may add weight to
 * at most `MAX_VALUES_PER_EQUIVOCATOR` values, so it cannot grow the tallies without bound.
 */
import type { ValueId, VoteKind } from './types.ts';

const NIL_KEY = '\u0000nil';

/** How many distinct values one sender's votes may weigh for under the `perValue` policy. */
export const MAX_VALUES_PER_EQUIVOCATOR = 2;

/** Which of a sender's votes per (round, type) carry weight. */
export type CountingPolicy = 'firstSeen' | 'perValue';

/** Outcome of adding a vote. */
export type AddVoteResult =
  | { kind: 'added' }
  | { kind: 'duplicate' }
  | { kind: 'unknownSender' }
  | { kind: 'conflict'; first: ValueId | null };

class VoteTally {
  readonly bySender = new Map<string, ValueId | null>();
  /** perValue policy: the extra values each equivocating sender already weighs for. */
  readonly extra = new Map<string, Set<string>>();
  readonly byValue = new Map<string, bigint>();
  any = 0n;
}

class RoundRecord {
  readonly prevote = new VoteTally();
  readonly precommit = new VoteTally();
  /** Distinct senders of any message in this round, and their power (for the f+1 round skip). */
  readonly senders = new Set<string>();
  senderPower = 0n;
}

/** Vote and sender bookkeeping of one height. */
export class VoteKeeper {
  readonly totalPower: bigint;
  readonly #powers: ReadonlyMap<string, bigint>;
  readonly #rounds = new Map<number, RoundRecord>();
  readonly #policy: CountingPolicy;

  constructor(powers: ReadonlyMap<string, bigint>, policy: CountingPolicy = 'firstSeen') {
    this.#powers = powers;
    this.#policy = policy;
    let total = 0n;
    for (const p of powers.values()) total += p;
    this.totalPower = total;
  }

  /** Voting power of a sender (0 when unknown). */
  powerOf(sender: string): bigint {
    return this.#powers.get(sender) ?? 0n;
  }

  /** True when `w` is above two thirds of the total (2f+1). */
  isQuorum(w: bigint): boolean {
    return 3n * w > 2n * this.totalPower;
  }

  /** True when `w` is above one third of the total (f+1). */
  isSkip(w: bigint): boolean {
    return 3n * w > this.totalPower;
  }

  #round(round: number): RoundRecord {
    let r = this.#rounds.get(round);
    if (r === undefined) this.#rounds.set(round, (r = new RoundRecord()));
    return r;
  }

  /** Whether `sender` has sent anything we kept for `round`. */
  hasSenderIn(round: number, sender: string): boolean {
    return this.#rounds.get(round)?.senders.has(sender) ?? false;
  }

  /** Records that `sender` sent some message in `round` (proposals count for the round skip too). */
  noteSender(round: number, sender: string): void {
    const r = this.#round(round);
    if (r.senders.has(sender)) return;
    r.senders.add(sender);
    r.senderPower += this.powerOf(sender);
  }

  /** Adds a vote; the first vote of a sender per (round, type) is the one that counts. */
  add(type: VoteKind, round: number, sender: string, value: ValueId | null): AddVoteResult {
    const power = this.#powers.get(sender);
    if (power === undefined) return { kind: 'unknownSender' };
    const r = this.#round(round);
    const tally = r[type];
    if (tally.bySender.has(sender)) {
      const first = tally.bySender.get(sender)!;
      if (first === value) return { kind: 'duplicate' };
      if (this.#policy === 'perValue') this.#addExtra(tally, sender, value ?? NIL_KEY, power);
      return { kind: 'conflict', first };
    }
    tally.bySender.set(sender, value);
    const key = value ?? NIL_KEY;
    tally.byValue.set(key, (tally.byValue.get(key) ?? 0n) + power);
    tally.any += power;
    this.noteSender(round, sender);
    return { kind: 'added' };
  }

  #addExtra(tally: VoteTally, sender: string, key: string, power: bigint): void {
    let values = tally.extra.get(sender);
    if (values === undefined) tally.extra.set(sender, (values = new Set()));
    if (values.has(key) || values.size + 1 >= MAX_VALUES_PER_EQUIVOCATOR) return;
    values.add(key);
    tally.byValue.set(key, (tally.byValue.get(key) ?? 0n) + power);
  }

  /** Power of votes of `type` in `round` for `value` (null: nil). */
  powerFor(type: VoteKind, round: number, value: ValueId | null): bigint {
    return this.#rounds.get(round)?.[type].byValue.get(value ?? NIL_KEY) ?? 0n;
  }

  /** Power of all votes of `type` in `round`, whatever their value. */
  powerAny(type: VoteKind, round: number): bigint {
    return this.#rounds.get(round)?.[type].any ?? 0n;
  }

  /** Power of the distinct senders of any message in `round`. */
  senderPower(round: number): bigint {
    return this.#rounds.get(round)?.senderPower ?? 0n;
  }

  /** The non-nil value with a quorum of `type` votes in `round`, if any. */
  quorumValue(type: VoteKind, round: number): ValueId | null {
    const tally = this.#rounds.get(round)?.[type];
    if (tally === undefined) return null;
    for (const [key, w] of tally.byValue) if (key !== NIL_KEY && this.isQuorum(w)) return key;
    return null;
  }

  /** Rounds with any record, ascending. */
  rounds(): number[] {
    return [...this.#rounds.keys()].sort((a, b) => a - b);
  }

  /** The counted vote of each sender for (round, type). */
  votesOf(type: VoteKind, round: number): ReadonlyMap<string, ValueId | null> {
    return this.#rounds.get(round)?.[type].bySender ?? new Map();
  }
}
