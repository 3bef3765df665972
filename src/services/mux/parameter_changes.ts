/**
 * Consensus parameter changes proposed through governance (oasis-core's `ChangeParametersProposal`). Each
 * service owns its parameters, so each validates and applies its own changes: governance only finds the
 * handler whose `module` the proposal names. A change is a CBOR map of the fields it sets (null = unset).
 */
import { type CborValue, decodeCanonical, encodeCanonical } from '../../codec/cbor.ts';
import { mapEntries } from '../../codec/schema.ts';
import type { Codec } from '../../codec/typed.ts';
import type { StateWriter } from '../../state/api.ts';
import { plainError } from './result.ts';

/** A service's side of parameter changes. */
export interface ParameterChangeHandler {
  /** The proposal's `module` this handler answers to (`staking`, `scheduler`, …). */
  readonly module: string;
  /**
   * Checks `changes` against the parameters in `state` and, when `apply`, stores the result. Throws an
   * (uncoded) error naming what is wrong; writes nothing unless it returns with `apply`.
   */
  changeParameters(state: StateWriter, changes: CborValue, apply: boolean): void;
}

/**
 * The field a change key sets in the parameters' wire form: usually the same name, sometimes nested
 * (staking's `min_commission_rate` lives in `commission_schedule_rules`).
 */
export type ChangeFields = Readonly<Record<string, readonly string[]>>;

/** Change keys that set the parameter of the same name. */
export function sameNames(...keys: string[]): ChangeFields {
  return Object.fromEntries(keys.map((k) => [k, [k]]));
}

function asMap(value: CborValue, path: string): Map<string, CborValue> {
  return new Map(mapEntries(value, path).map(([k, v]) => [String(k), v]));
}

/**
 * Overlays `changes` on `current` through the parameters' wire codec: only `fields` may be set, at least
 * one must be (oasis-core's `ConsensusParameterChanges.SanityCheck`), and the result must decode strictly.
 */
export function mergeParameterChanges<T>(
  module: string,
  codec: Codec<T>,
  current: T,
  changes: CborValue,
  fields: ChangeFields,
): T {
  const wire = asMap(decodeCanonical(encodeCanonical(codec.encode(current))), module);
  let set = 0;
  for (const [k, v] of mapEntries(changes, `${module} changes`)) {
    const path = typeof k === 'string' ? fields[k] : undefined;
    if (path === undefined) throw plainError(`${module}: unknown parameter change ${String(k)}`);
    if (v === null) continue;
    set++;
    if (path.length === 1) wire.set(path[0]!, v);
    else {
      const inner = asMap(wire.get(path[0]!) ?? new Map(), `${module}.${path[0]}`);
      inner.set(path[1]!, v);
      wire.set(path[0]!, inner);
    }
  }
  if (set === 0) throw plainError(`${module}: consensus parameter changes should not be empty`);
  return codec.decode(decodeCanonical(encodeCanonical(wire)), `${module} params`);
}

/** A handler from a codec, the state accessors and a validator (the common shape of every module). */
export function parameterChangeHandler<T>(o: {
  module: string;
  codec: Codec<T>;
  fields: ChangeFields;
  read: (state: StateWriter) => T;
  validate: (params: T) => void;
  write: (state: StateWriter, params: T) => void;
  /** State the module brings in line with the new parameters when they are applied (before they are stored). */
  migrate?: (state: StateWriter, next: T) => void;
}): ParameterChangeHandler {
  return {
    module: o.module,
    changeParameters(state, changes, apply) {
      const next = mergeParameterChanges(o.module, o.codec, o.read(state), changes, o.fields);
      o.validate(next);
      if (!apply) return;
      o.migrate?.(state, next);
      o.write(state, next);
    },
  };
}
