/**
 * Counts voting power per (round, vote type, value) for one height, one vote per validator per
 * (round, type): the first one seen. A later different vote from the same validator is reported as an
 * equivocation and adds no weight, so an equivocator can never count twice toward a threshold.
 * Thresholds are the paper's integer tests: quorum 3w > 2n (2f+1), skip 3w > n (f+1).
 *
 * With `countExtra`, a later different vote still adds the sender's weight to *that* value (never to "any"):
 * the paper's literal reading, where each condition counts distinct senders of messages for its own value.
 * That is as safe (quorum intersection only needs correct senders to vote once) and it is needed for
 * liveness: otherwise an equivocator can show one half of the nodes a polka the other half can never
 * count, leaving a locked correct process that nobody else can follow (the simulator finds this at once).
 * The engine asks for it only for nil and for values that were actually proposed at this height, so an
 * equivocator spraying random values cannot grow the tallies.
 */
import type { ValueId, VoteKind } from './types.ts';

const NIL_KEY = '\u0000nil';

/** Which of a sender's votes per (round, type) carry weight: the first only, or one per relevant value. */
export type CountingPolicy = 'firstSeen' | 'perValue';

/** Outcome of adding a vote. */
export type AddVoteResult =
  | { kind: 'added' }
  | { kind: 'duplicate' }
  | { kind: 'unknownSender' }
  | { kind: 'conflict'; first: ValueId | null };

class VoteTally {
  readonly bySender = new Map<string, ValueId | null>();
  /** The extra values each equivocating sender already weighs for. */
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

  constructor(powers: ReadonlyMap<string, bigint>) {
    this.#powers = powers;
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

  /**
   * Adds a vote. The first vote of a sender per (round, type) counts for its value and for "any"; a later
   * different one is a conflict, which with `countExtra` also counts once for its own value.
   */
  add(
    type: VoteKind,
    round: number,
    sender: string,
    value: ValueId | null,
    countExtra = false,
  ): AddVoteResult {
    const power = this.#powers.get(sender);
    if (power === undefined) return { kind: 'unknownSender' };
    const r = this.#round(round);
    const tally = r[type];
    if (tally.bySender.has(sender)) {
      const first = tally.bySender.get(sender)!;
      if (first === value) return { kind: 'duplicate' };
      if (countExtra) this.#addExtra(tally, sender, value ?? NIL_KEY, power);
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
    if (values.has(key)) return;
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
