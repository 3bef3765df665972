/**
 * Strict typed decoding of CBOR values. A decoder turns a decoded CBOR value into a typed structure or
 * throws a `CodecError` naming the offending field: wrong types, unknown fields, missing fields and
 * out-of-range integers are rejected, never passed through.
 */
import { CodecError } from '../errors.ts';
import type { CborValue } from './cbor.ts';

/** Turns a CBOR value at `path` into a `T`, or throws `CodecError`. */
export type Decoder<T> = (value: CborValue, path: string) => T;

/**
 * What a decoder documents about itself for generated references (docs/configuration.md): the type it
 * accepts, a one-line description of the key it decodes, and, for a struct, its fields. Decoding ignores it.
 */
export interface DecoderDoc {
  /** Accepted type or values, e.g. `unsigned integer`, `one of none, pull`. */
  type?: string;
  /** One line on what the key means. */
  description?: string;
  /** A struct's field specs, by key. */
  fields?: Readonly<Record<string, FieldSpec>>;
  /** An array's element decoder. */
  item?: Decoder<unknown>;
  /** How a decoded value is written in a file, when not as JSON (e.g. a duration in ms as `2m`). */
  show?: (value: unknown) => string;
}

const DOC = Symbol('doc');

/** The documentation a decoder carries (empty when none). */
export function docOf(decoder: Decoder<unknown>): DecoderDoc {
  return (decoder as { [DOC]?: DecoderDoc })[DOC] ?? {};
}

/** Returns a copy of `decoder` carrying `doc` over what it already documents. */
export function withDoc<T>(decoder: Decoder<T>, doc: DecoderDoc): Decoder<T> {
  const copy: Decoder<T> = (value, path) => decoder(value, path);
  return Object.assign(copy, { [DOC]: { ...docOf(decoder), ...doc } });
}

/**
 * Names the type a freshly written decoder accepts (for generated references). Labels `decoder` itself, so
 * decoding costs nothing extra: pass a new function, never a shared one (use `withDoc` for those).
 */
export function typed<T>(type: string, decoder: Decoder<T>, more: Omit<DecoderDoc, 'type'> = {}): Decoder<T> {
  return Object.assign(decoder, { [DOC]: { ...docOf(decoder), ...more, type } });
}

/** A required struct field with a one-line description (for generated references). */
export function described<T>(decoder: Decoder<T>, description: string): Decoder<T> {
  return withDoc(decoder, { description });
}

/** Largest unsigned 64-bit integer. */
export const U64_MAX = (1n << 64n) - 1n;

function fail(path: string, message: string): never {
  throw new CodecError(path, message);
}

function describe(value: CborValue): string {
  if (value === null) return 'null';
  if (value instanceof Uint8Array) return 'byte string';
  if (value instanceof Map) return 'map';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return 'map';
  return typeof value;
}

/** Unsigned 64-bit integer, as a bigint. */
export const u64: Decoder<bigint> = typed('unsigned 64-bit integer', (value, path) => {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return BigInt(value);
  if (typeof value === 'bigint' && value >= 0n && value <= U64_MAX) return value;
  return fail(path, `expected an unsigned 64-bit integer, got ${describe(value)}`);
});

/** Unsigned integer that fits a JS number exactly (heights, counts, small enums). */
export const uint: Decoder<number> = typed('unsigned integer', (value, path) => {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  return fail(path, `expected an unsigned integer below 2^53, got ${describe(value)}`);
});

/** Signed integer that fits a JS number exactly. */
export const int: Decoder<number> = typed('integer', (value, path) => {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  return fail(path, `expected an integer, got ${describe(value)}`);
});

/** Signed 64-bit integer, as a bigint (durations in nanoseconds, priorities). */
export const i64: Decoder<bigint> = typed('signed 64-bit integer', (value, path) => {
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (typeof value === 'bigint' && value >= -(1n << 63n) && value < 1n << 63n) return value;
  return fail(path, `expected a signed 64-bit integer, got ${describe(value)}`);
});

/** UTF-8 text string. */
export const text: Decoder<string> = typed('string', (value, path) =>
  typeof value === 'string' ? value : fail(path, `expected a text string, got ${describe(value)}`),
);

/** Boolean. */
export const bool: Decoder<boolean> = typed('boolean', (value, path) =>
  typeof value === 'boolean' ? value : fail(path, `expected a boolean, got ${describe(value)}`),
);

/** Byte string, optionally of an exact length. */
export function bytes(length?: number): Decoder<Uint8Array> {
  return (value, path) => {
    if (!(value instanceof Uint8Array)) return fail(path, `expected a byte string, got ${describe(value)}`);
    if (length !== undefined && value.length !== length) {
      return fail(path, `expected ${length} bytes, got ${value.length}`);
    }
    return value;
  };
}

/** Any CBOR value, passed through unchanged (inline raw bodies, decoded later by their owner). */
export const anyValue: Decoder<CborValue> = typed('any value', (value) => value);

/** Array whose every element decodes with `item`, at most `maxItems` long. */
export function arrayOf<T>(item: Decoder<T>, maxItems = 1_000_000): Decoder<T[]> {
  const decoder: Decoder<T[]> = (value, path) => {
    if (!Array.isArray(value)) return fail(path, `expected an array, got ${describe(value)}`);
    if (value.length > maxItems) return fail(path, `array of ${value.length} items exceeds ${maxItems}`);
    return value.map((v, i) => item(v, `${path}[${i}]`));
  };
  return Object.assign(decoder, { [DOC]: { type: `array of ${docOf(item).type ?? 'values'}`, item } });
}

/** Entries of a CBOR map (plain object or `Map`); an empty map may decode to either. */
export function mapEntries(value: CborValue, path: string): Array<[CborValue, CborValue]> {
  if (value instanceof Map) return [...value.entries()];
  if (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    !(value instanceof Uint8Array)
  ) {
    return Object.entries(value);
  }
  return fail(path, `expected a map, got ${describe(value)}`);
}

/** Map decoded into `[key, value]` pairs in encoded (canonical) order. */
export function mapOf<K, V>(key: Decoder<K>, val: Decoder<V>): Decoder<Array<[K, V]>> {
  return (value, path) =>
    mapEntries(value, path).map(([k, v], i) => [
      key(k, `${path}{key ${i}}`),
      val(v, `${path}[${String(k)}]`),
    ]);
}

const OPTIONAL = Symbol('optional');

/** A struct field that may be absent (Go `omitempty`); absent decodes to `undefined`. */
export interface OptionalField<T> {
  readonly [OPTIONAL]: true;
  readonly decoder: Decoder<T>;
  /** One line on what the key means (for generated references). */
  readonly description?: string;
}

/** Marks a struct field as optional; `description` documents the key in generated references. */
export function optional<T>(decoder: Decoder<T>, description?: string): OptionalField<T> {
  return description === undefined
    ? { [OPTIONAL]: true, decoder }
    : { [OPTIONAL]: true, decoder, description };
}

/** A struct field: a decoder (required) or `optional(decoder)`. */
export type FieldSpec = Decoder<unknown> | OptionalField<unknown>;
type FieldValue<F> =
  F extends OptionalField<infer T> ? T | undefined : F extends Decoder<infer T> ? T : never;
type OptionalKeys<S> = { [K in keyof S]: S[K] extends OptionalField<unknown> ? K : never }[keyof S];
type RequiredKeys<S> = Exclude<keyof S, OptionalKeys<S>>;
/** The typed result of decoding a struct with spec `S`. */
export type StructOf<S> = { [K in RequiredKeys<S>]: FieldValue<S[K]> } & {
  [K in OptionalKeys<S>]?: FieldValue<S[K]>;
};

/** Whether a struct field may be absent. */
export function isOptional(spec: FieldSpec): spec is OptionalField<unknown> {
  return typeof spec === 'object' && OPTIONAL in spec;
}

/**
 * A map with string keys decoded field by field. Unknown keys are rejected (oasis-core's strict decoder
 * for consensus-critical input); absent required fields are rejected; absent optional fields are undefined.
 */
export function struct<S extends Record<string, FieldSpec>>(spec: S): Decoder<StructOf<S>> {
  const names = Object.keys(spec);
  const decoder: Decoder<StructOf<S>> = (value, path) => {
    const out: Record<string, unknown> = {};
    const entries = mapEntries(value, path);
    const present = new Map<string, CborValue>();
    for (const [k, v] of entries) {
      if (typeof k !== 'string') return fail(path, 'map key is not a text string');
      if (!Object.hasOwn(spec, k)) return fail(path ? `${path}.${k}` : k, 'unknown field');
      present.set(k, v);
    }
    for (const name of names) {
      const fieldSpec = spec[name]!;
      const fieldPath = path ? `${path}.${name}` : name;
      const v = present.get(name);
      if (v === undefined) {
        if (!isOptional(fieldSpec)) return fail(fieldPath, 'missing required field');
        continue;
      }
      out[name] = isOptional(fieldSpec) ? fieldSpec.decoder(v, fieldPath) : fieldSpec(v, fieldPath);
    }
    return out as StructOf<S>;
  };
  return Object.assign(decoder, { [DOC]: { type: 'map', fields: spec } });
}

/**
 * Decodes with `inner`, then turns its result into the final value (defaults, cross-field checks), keeping
 * what `inner` documents (a struct's fields stay listed in generated references).
 */
export function refine<S, T>(inner: Decoder<S>, then: (decoded: S, path: string) => T): Decoder<T> {
  const decoder: Decoder<T> = (value, path) => then(inner(value, path), path);
  return Object.assign(decoder, { [DOC]: docOf(inner) });
}

/** Integer enum restricted to the listed values. */
export function enumOf<T extends number>(allowed: readonly T[]): Decoder<T> {
  return (value, path) => {
    const n = uint(value, path);
    if (!allowed.includes(n as T)) return fail(path, `unexpected value ${n}`);
    return n as T;
  };
}

/** Removes keys whose value is `undefined`, so optional fields are omitted from the encoding. */
export function compact<T extends Record<string, unknown>>(obj: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined) out[k] = v;
  return out as T;
}
