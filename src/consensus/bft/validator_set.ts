/**
 * The validator set the engine votes with: consensus keys, voting powers and CometBFT proposer priorities.
 * Sets are immutable; every change (an update from the application, one height's priority step, a round's
 * lookahead) returns a new set, so a per-round proposer lookup can never leak into the next height.
 *
 * Addresses: ordering and tie-breaks use the 32-byte consensus public key itself as the address (instead
 * of CometBFT's truncated SHA-256 of it). Both are unique per validator; the key needs no extra hash and is
 * what votes already carry.
 */
import { compareBytes, toHex } from '../../codec/bytes.ts';
import { PUBLIC_KEY_SIZE } from '../../crypto/ed25519.ts';
import { CodedError } from '../../errors.ts';
import type { ValidatorUpdate } from '../api/application.ts';
import { validatorsHash } from '../api/light_block.ts';
import {
  centrePriorities,
  incrementPriorities,
  MAX_TOTAL_VOTING_POWER,
  PRIORITY_WINDOW_SIZE_FACTOR,
  type PrioritySlot,
  rescalePriorities,
} from './proposer_priority.ts';

/** Error module of rejected validator-set changes. */
export const VALIDATORS_MODULE = 'consensus/validators';

/** Coded errors of validator-set changes. */
export const ValidatorSetErrors = Object.freeze({
  invalidUpdate: 1,
  duplicateUpdate: 2,
  unknownRemoval: 3,
  emptySet: 4,
  powerOverflow: 5,
} as const);

/** One validator with its current proposer priority. */
export interface Validator {
  readonly publicKey: Uint8Array;
  readonly power: bigint;
  readonly priority: bigint;
}

interface Slot extends PrioritySlot {
  publicKey: Uint8Array;
}

function toSlots(vals: readonly Validator[]): Slot[] {
  return vals.map((v) => ({
    publicKey: v.publicKey,
    address: v.publicKey,
    power: v.power,
    priority: v.priority,
  }));
}

function byPowerThenAddress(a: Slot, b: Slot): number {
  if (a.power !== b.power) return a.power > b.power ? -1 : 1;
  return compareBytes(a.address, b.address);
}

function fail(code: number, message: string): never {
  throw new CodedError(VALIDATORS_MODULE, code, message);
}

/** An immutable validator set in CometBFT order (power descending, then address ascending). */
export class ValidatorSet {
  /** Validators in set order (the order of commit entries). */
  readonly validators: readonly Validator[];
  /** Sum of voting powers. */
  readonly totalPower: bigint;
  /** Proposer of round 0 at the height this set decides. */
  readonly proposer: Validator;
  readonly #index: Map<string, number>;
  #hash: Uint8Array | undefined;
  /** Round lookahead: slots after rescale + centre + k steps, and the proposer of each round 1..k. */
  #lookahead: { slots: Slot[]; proposers: Validator[] } | undefined;

  private constructor(slots: Slot[], proposer: Slot) {
    this.validators = slots.map((s) =>
      Object.freeze({ publicKey: s.publicKey, power: s.power, priority: s.priority }),
    );
    this.totalPower = slots.reduce((sum, s) => sum + s.power, 0n);
    this.proposer = this.validators[slots.indexOf(proposer)]!;
    this.#index = new Map(slots.map((s, i) => [toHex(s.publicKey), i]));
  }

  /** CometBFT's NewValidatorSet: the genesis validators, priorities initialised and advanced once. */
  static genesis(updates: readonly ValidatorUpdate[]): ValidatorSet {
    const slots = applyChangeSet([], updates);
    const total = slots.reduce((sum, s) => sum + s.power, 0n);
    const proposer = incrementPriorities(slots, total, 1);
    return new ValidatorSet(slots, proposer);
  }

  /**
   * Rebuilds a stored set (validators with their priorities, in set order, and the round-0 proposer).
   * Rejects anything a set could not have been: wrong order, duplicates, bad powers or an unknown proposer.
   */
  static restore(validators: readonly Validator[], proposer: Uint8Array): ValidatorSet {
    const slots = toSlots(validators);
    slots.forEach((slot, i) => {
      if (slot.publicKey.length !== PUBLIC_KEY_SIZE || slot.power <= 0n) {
        fail(ValidatorSetErrors.invalidUpdate, `stored validator ${i} is malformed`);
      }
      if (i > 0 && byPowerThenAddress(slots[i - 1]!, slot) >= 0) {
        fail(ValidatorSetErrors.invalidUpdate, 'stored validators are not in set order');
      }
    });
    if (slots.length === 0) fail(ValidatorSetErrors.emptySet, 'stored validator set is empty');
    const leader = slots.find((slot) => compareBytes(slot.publicKey, proposer) === 0);
    if (leader === undefined) fail(ValidatorSetErrors.invalidUpdate, 'stored proposer is not a validator');
    return new ValidatorSet(slots, leader);
  }

  /** Applies application updates (power 0 removes); new validators start behind, at −1.125·P. */
  withUpdates(updates: readonly ValidatorUpdate[]): ValidatorSet {
    const slots = applyChangeSet(toSlots(this.validators), updates);
    let proposer = slots[0]!;
    for (const s of slots) if (s.priority > proposer.priority) proposer = s;
    return new ValidatorSet(slots, proposer);
  }

  /** A copy with priorities advanced `times` steps (one per height, or r for round r's lookahead). */
  advanced(times: number): ValidatorSet {
    const slots = toSlots(this.validators);
    const proposer = incrementPriorities(slots, this.totalPower, times);
    return new ValidatorSet(slots, proposer);
  }

  /**
   * Proposer of `round` at this set's height: the round-0 set advanced `round` steps in one call
   * (IncrementProposerPriority(round)). One call rescales and centres once and then steps, so the answer
   * for r is step r of a single sequence, which is cached: consecutive rounds cost O(n) each.
   */
  proposerForRound(round: number): Validator {
    if (round === 0) return this.proposer;
    if (!Number.isSafeInteger(round) || round < 0) throw new RangeError(`bad round ${round}`);
    if (this.#lookahead === undefined) {
      const slots = toSlots(this.validators);
      rescalePriorities(slots, PRIORITY_WINDOW_SIZE_FACTOR * this.totalPower);
      centrePriorities(slots);
      this.#lookahead = { slots, proposers: [] };
    }
    const { slots, proposers } = this.#lookahead;
    while (proposers.length < round) {
      const p = incrementPriorities(slots, this.totalPower, 1, false);
      proposers.push(this.validators[this.#index.get(toHex(p.publicKey))!]!);
    }
    return proposers[round - 1]!;
  }

  /** Position of a validator in set order, or -1. */
  indexOf(publicKeyHex: string): number {
    return this.#index.get(publicKeyHex) ?? -1;
  }

  /** Voting power of a validator (0 when not in the set). */
  powerOf(publicKeyHex: string): bigint {
    const i = this.#index.get(publicKeyHex);
    return i === undefined ? 0n : this.validators[i]!.power;
  }

  /** Hash of (key, power) in set order; priorities are excluded, as in CometBFT. */
  hash(): Uint8Array {
    this.#hash ??= validatorsHash(this.validators);
    return this.#hash;
  }
}

/** CometBFT's updateWithChangeSet on `slots` (already a private copy). */
function applyChangeSet(slots: Slot[], updates: readonly ValidatorUpdate[]): Slot[] {
  const seen = new Set<string>();
  for (const u of updates) {
    const key = toHex(u.publicKey);
    if (u.publicKey.length !== PUBLIC_KEY_SIZE) fail(ValidatorSetErrors.invalidUpdate, `bad key ${key}`);
    if (u.power < 0n) fail(ValidatorSetErrors.invalidUpdate, `negative power for ${key}`);
    if (seen.has(key)) fail(ValidatorSetErrors.duplicateUpdate, `duplicate update for ${key}`);
    seen.add(key);
  }
  const byKey = new Map(slots.map((s) => [toHex(s.publicKey), s]));
  let totalAfterUpdates = slots.reduce((sum, s) => sum + s.power, 0n);
  for (const u of updates) {
    const old = byKey.get(toHex(u.publicKey));
    if (u.power === 0n) {
      if (old === undefined)
        fail(ValidatorSetErrors.unknownRemoval, `removal of unknown ${toHex(u.publicKey)}`);
      continue;
    }
    totalAfterUpdates += u.power - (old?.power ?? 0n);
  }
  if (totalAfterUpdates > MAX_TOTAL_VOTING_POWER)
    fail(ValidatorSetErrors.powerOverflow, 'total power too large');
  const newPriority = -(totalAfterUpdates + (totalAfterUpdates >> 3n));
  for (const u of updates) {
    const key = toHex(u.publicKey);
    const old = byKey.get(key);
    if (u.power === 0n) byKey.delete(key);
    else {
      const priority = old?.priority ?? newPriority;
      byKey.set(key, { publicKey: u.publicKey, address: u.publicKey, power: u.power, priority });
    }
  }
  const out = [...byKey.values()];
  if (out.length === 0) fail(ValidatorSetErrors.emptySet, 'validator set would be empty');
  const total = out.reduce((sum, s) => sum + s.power, 0n);
  rescalePriorities(out, PRIORITY_WINDOW_SIZE_FACTOR * total);
  centrePriorities(out);
  return out.sort(byPowerThenAddress);
}
