/**
 * Scheduler state under oasis-core's prefixes: committees at 0x60 [kind, H(runtime ID)], the current
 * validator set at 0x61 and the pending (next) set at 0x62 — each a CBOR map from consensus public key to
 * validator — and parameters at 0x63.
 */
import { compareBytes } from '../../codec/bytes.ts';
import { decodeOwnCanonical, encodeCanonical } from '../../codec/cbor.ts';
import { mapEntries } from '../../codec/schema.ts';
import { sha512_256 } from '../../crypto/hash.ts';
import type { StateReader, StateWriter } from '../../state/api.ts';
import { KeyPrefix, makeKey } from '../../state/keys.ts';
import { type Committee, committeeCodec, type Validator, validatorCodec } from './api/committee.ts';
import { type SchedulerParameters, schedulerParametersCodec } from './api/params.ts';

/** A validator set: consensus public key → validator, ascending by key. */
export type ValidatorSet = Array<[Uint8Array, Validator]>;

function committeeKey(kind: number, runtimeId: Uint8Array): Uint8Array {
  return makeKey(KeyPrefix.schedulerCommittee, Uint8Array.of(kind), sha512_256(runtimeId));
}

function decodeSet(raw: Uint8Array | undefined): ValidatorSet | undefined {
  if (raw === undefined) return undefined;
  return mapEntries(decodeOwnCanonical(raw), 'validators').map(
    ([k, v]) => [k as Uint8Array, validatorCodec.decode(v, 'validator')] as [Uint8Array, Validator],
  );
}

function encodeSet(set: ValidatorSet): Uint8Array {
  const sorted = [...set].sort((a, b) => compareBytes(a[0], b[0]));
  return encodeCanonical(new Map(sorted.map(([k, v]) => [k, validatorCodec.encode(v)])));
}

/** Read-only scheduler state. */
export class SchedulerStateReader {
  constructor(readonly state: StateReader) {}

  /** Scheduler parameters; throws before genesis. */
  parameters(): SchedulerParameters {
    const v = this.state.get(makeKey(KeyPrefix.schedulerParameters));
    if (v === undefined) throw new Error('scheduler: consensus parameters not initialized');
    return schedulerParametersCodec.decode(decodeOwnCanonical(v), 'params');
  }

  /** The validator set in effect (empty before genesis). */
  currentValidators(): ValidatorSet {
    return decodeSet(this.state.get(makeKey(KeyPrefix.schedulerCurrentValidators))) ?? [];
  }

  /** The set elected for the next EndBlock, if an election is pending. */
  pendingValidators(): ValidatorSet | undefined {
    return decodeSet(this.state.get(makeKey(KeyPrefix.schedulerPendingValidators)));
  }

  /** The committee of `kind` for a runtime, if one was elected this epoch. */
  committee(kind: number, runtimeId: Uint8Array): Committee | undefined {
    const v = this.state.get(committeeKey(kind, runtimeId));
    return v === undefined ? undefined : committeeCodec.decode(decodeOwnCanonical(v), 'committee');
  }

  /** Every stored committee, in key order. */
  *committees(): Iterable<Committee> {
    for (const [, v] of this.state.entries(makeKey(KeyPrefix.schedulerCommittee))) {
      yield committeeCodec.decode(decodeOwnCanonical(v), 'committee');
    }
  }
}

/** Read-write scheduler state. */
export class SchedulerState extends SchedulerStateReader {
  declare readonly state: StateWriter;

  constructor(state: StateWriter) {
    super(state);
  }

  setParameters(p: SchedulerParameters): void {
    this.state.set(
      makeKey(KeyPrefix.schedulerParameters),
      encodeCanonical(schedulerParametersCodec.encode(p)),
    );
  }

  setCurrentValidators(set: ValidatorSet): void {
    this.state.set(makeKey(KeyPrefix.schedulerCurrentValidators), encodeSet(set));
  }

  /** Stores the next set, or clears it (undefined). */
  setPendingValidators(set: ValidatorSet | undefined): void {
    const k = makeKey(KeyPrefix.schedulerPendingValidators);
    if (set === undefined) this.state.remove(k);
    else this.state.set(k, encodeSet(set));
  }

  putCommittee(c: Committee): void {
    this.state.set(committeeKey(c.kind, c.runtime_id), encodeCanonical(committeeCodec.encode(c)));
  }

  dropCommittee(kind: number, runtimeId: Uint8Array): void {
    this.state.remove(committeeKey(kind, runtimeId));
  }
}
