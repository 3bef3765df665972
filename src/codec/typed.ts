/**
 * Two-way codecs for documents that live both as canonical CBOR (hashed, signed, sent over gRPC) and as
 * JSON files operators read and edit (genesis, descriptors). One codec per type gives both forms the same
 * field names and omitempty rules as oasis-core's Go structs, and the JSON renderings Go uses: bytes as
 * base64, hashes as hex, quantities as decimal strings, times as RFC 3339.
 */
import { CodecError } from '../errors.ts';
import { fromBase64, fromHex, toBase64, toHex } from './bytes.ts';
import type { CborValue } from './cbor.ts';
import { BIGINT_MARK } from './json.ts';
import { quantity as quantityDecoder, quantityToBytes } from './quantity.ts';
import {
  bool as boolDecoder,
  bytes as bytesDecoder,
  int as intDecoder,
  mapEntries,
  text as textDecoder,
  u64,
  uint,
} from './schema.ts';

/** A type's CBOR and JSON forms. */
export interface Codec<T> {
  /** Strictly decodes a CBOR value. */
  decode(value: CborValue, path: string): T;
  /** The CBOR-ready form. */
  encode(value: T): unknown;
  /** Strictly decodes a parsed JSON value (see `parseJson`). */
  fromJson(value: unknown, path: string): T;
  /** The JSON-ready form (bigints are written as plain numbers by `stringifyJson`). */
  toJson(value: T): unknown;
  /** Go's omitempty notion of "empty". */
  isEmpty(value: T): boolean;
  /** The value an absent omitempty field decodes to; without it, absence is an error. */
  empty?: () => T;
}

function fail(path: string, message: string): never {
  throw new CodecError(path, message);
}

/** Unsigned 64-bit integer (bigint): a CBOR uint, a JSON number. */
export const u64Codec: Codec<bigint> = {
  decode: u64,
  encode: (v) => v,
  fromJson: (v, p) => {
    if (typeof v === 'string' && v.startsWith(BIGINT_MARK))
      return u64(BigInt(v.slice(BIGINT_MARK.length)), p);
    return u64(v as CborValue, p);
  },
  toJson: (v) => v,
  isEmpty: (v) => v === 0n,
};

/** Unsigned integer below 2^53 (heights, versions, sizes). */
export const uintCodec: Codec<number> = {
  decode: uint,
  encode: (v) => v,
  fromJson: (v, p) => uint(v as CborValue, p),
  toJson: (v) => v,
  isEmpty: (v) => v === 0,
};

/** Signed integer below 2^53 in magnitude (Go `int`, e.g. a TCP port). */
export const intCodec: Codec<number> = {
  decode: intDecoder,
  encode: (v) => v,
  fromJson: (v, p) => intDecoder(v as CborValue, p),
  toJson: (v) => v,
  isEmpty: (v) => v === 0,
};

/** UTF-8 text. */
export const textCodec: Codec<string> = {
  decode: textDecoder,
  encode: (v) => v,
  fromJson: (v, p) => textDecoder(v as CborValue, p),
  toJson: (v) => v,
  isEmpty: (v) => v === '',
};

/** Boolean. */
export const boolCodec: Codec<boolean> = {
  decode: boolDecoder,
  encode: (v) => v,
  fromJson: (v, p) => boolDecoder(v as CborValue, p),
  toJson: (v) => v,
  isEmpty: (v) => !v,
};

/** Byte string (JSON base64), optionally of a fixed length. Empty when zero-length. */
export function bytesCodec(length?: number): Codec<Uint8Array> {
  const dec = bytesDecoder(length);
  return {
    decode: dec,
    encode: (v) => v,
    fromJson: (v, p) => {
      if (typeof v !== 'string') return fail(p, 'expected a base64 string');
      let b: Uint8Array;
      try {
        b = fromBase64(v);
      } catch {
        return fail(p, 'not valid base64');
      }
      return dec(b, p);
    },
    toJson: (v) => toBase64(v),
    isEmpty: (v) => v.length === 0,
  };
}

/** Fixed-size byte array shown as hex in JSON (hashes, runtime IDs); never empty, like a Go array. */
export function hexCodec(length: number): Codec<Uint8Array> {
  const dec = bytesDecoder(length);
  return {
    decode: dec,
    encode: (v) => v,
    fromJson: (v, p) => {
      if (typeof v !== 'string' || v.length !== length * 2)
        return fail(p, `expected ${length * 2} hex digits`);
      try {
        return fromHex(v);
      } catch {
        return fail(p, 'not valid hex');
      }
    },
    toJson: (v) => toHex(v),
    isEmpty: () => false,
  };
}

/** Token amount: CBOR minimal big-endian bytes, JSON decimal string. */
export const quantityCodec: Codec<bigint> = {
  decode: quantityDecoder,
  encode: (v) => quantityToBytes(v),
  fromJson: (v, p) => {
    if (typeof v !== 'string' || !/^(0|[1-9][0-9]*)$/.test(v))
      return fail(p, 'expected a decimal amount string');
    return BigInt(v);
  },
  toJson: (v) => v.toString(),
  isEmpty: (v) => v === 0n,
};

/** Time as Unix seconds: a CBOR integer, a JSON RFC 3339 string (UTC). */
export const timeCodec: Codec<number> = {
  decode: (v, p) => {
    if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
    return fail(p, 'expected a unix time in seconds');
  },
  encode: (v) => v,
  fromJson: (v, p) => {
    const ms = typeof v === 'string' ? Date.parse(v) : Number.NaN;
    if (!Number.isFinite(ms) || ms % 1000 !== 0)
      return fail(p, 'expected an RFC 3339 time with whole seconds');
    return ms / 1000;
  },
  toJson: (v) => new Date(v * 1000).toISOString().replace('.000Z', 'Z'),
  isEmpty: () => false,
};

/** An integer enum: a CBOR uint, a JSON name (Go's TextMarshaler form, e.g. `node-validator`). */
export function enumCodec(names: Readonly<Record<string, number>>): Codec<number> {
  const byValue = new Map(Object.entries(names).map(([k, v]) => [v, k]));
  return {
    decode: (v, p) => {
      const n = uint(v, p);
      if (!byValue.has(n)) return fail(p, `unexpected value ${n}`);
      return n;
    },
    encode: (v) => v,
    fromJson: (v, p) => {
      if (typeof v !== 'string' || !Object.hasOwn(names, v)) {
        return fail(p, `expected one of ${Object.keys(names).join(', ')}`);
      }
      return names[v]!;
    },
    toJson: (v) => byValue.get(v) ?? String(v),
    isEmpty: (v) => v === 0,
  };
}

/** A field that may be absent: `undefined` is omitted in both forms. */
export function optionalCodec<T>(inner: Codec<T>): Codec<T | undefined> {
  return {
    decode: (v, p) => inner.decode(v, p),
    encode: (v) => (v === undefined ? undefined : inner.encode(v)),
    fromJson: (v, p) => (v === null ? undefined : inner.fromJson(v, p)),
    toJson: (v) => (v === undefined ? undefined : inner.toJson(v)),
    isEmpty: (v) => v === undefined,
    empty: () => undefined,
  };
}

/** An array (JSON array; `null` accepted as empty, as Go writes nil slices). */
export function arrayCodec<T>(item: Codec<T>, maxItems = 1_000_000): Codec<T[]> {
  const check = (v: unknown, p: string): unknown[] => {
    if (v === null) return [];
    if (!Array.isArray(v)) return fail(p, 'expected an array');
    if (v.length > maxItems) return fail(p, `more than ${maxItems} items`);
    return v;
  };
  return {
    decode: (v, p) => check(v, p).map((x, i) => item.decode(x as CborValue, `${p}[${i}]`)),
    encode: (v) => v.map((x) => item.encode(x)),
    fromJson: (v, p) => check(v, p).map((x, i) => item.fromJson(x, `${p}[${i}]`)),
    toJson: (v) => v.map((x) => item.toJson(x)),
    isEmpty: (v) => v.length === 0,
    empty: () => [],
  };
}

/**
 * A Go slice that is written as nil (CBOR/JSON null) when empty, as slices built by appending are; null
 * and an empty array both decode to `[]`.
 */
export function nilSliceCodec<T>(item: Codec<T>, maxItems?: number): Codec<T[]> {
  const inner = arrayCodec(item, maxItems);
  return {
    ...inner,
    encode: (v) => (v.length === 0 ? null : inner.encode(v)),
    toJson: (v) => (v.length === 0 ? null : inner.toJson(v)),
  };
}

/** A value Go may write as nil: `null` in both forms, always present. */
export function nullableCodec<T>(inner: Codec<T>): Codec<T | null> {
  return {
    decode: (v, p) => (v === null ? null : inner.decode(v, p)),
    encode: (v) => (v === null ? null : inner.encode(v)),
    fromJson: (v, p) => (v === null ? null : inner.fromJson(v, p)),
    toJson: (v) => (v === null ? null : inner.toJson(v)),
    isEmpty: (v) => v === null,
  };
}

/**
 * A map. Keys are kept as their CBOR-ready form in a JS Map in insertion order; JSON object keys are the
 * key codec's JSON string form (Go's TextMarshaler), written sorted.
 */
export function mapCodec<K, V>(key: Codec<K>, value: Codec<V>): Codec<Map<K, V>> {
  return {
    decode: (v, p) => {
      const out = new Map<K, V>();
      for (const [k, x] of mapEntries(v, p))
        out.set(key.decode(k, `${p}{key}`), value.decode(x, `${p}[${String(k)}]`));
      return out;
    },
    encode: (m) => {
      const out = new Map<unknown, unknown>();
      for (const [k, x] of m) out.set(key.encode(k), value.encode(x));
      return out;
    },
    fromJson: (v, p) => {
      if (v === null) return new Map();
      if (typeof v !== 'object' || Array.isArray(v)) return fail(p, 'expected an object');
      const out = new Map<K, V>();
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
        out.set(key.fromJson(k, `${p}{${k}}`), value.fromJson(x, `${p}.${k}`));
      }
      return out;
    },
    toJson: (m) => {
      const entries = [...m].map(([k, x]) => [String(key.toJson(k)), value.toJson(x)] as const);
      entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      return Object.fromEntries(entries);
    },
    isEmpty: (m) => m.size === 0,
    empty: () => new Map(),
  };
}

/** A struct field: its codec and whether it is `omitempty`. */
export interface FieldSpec<T> {
  codec: Codec<T>;
  omitEmpty?: boolean;
}

type FieldsOf<S> = { [K in keyof S]: S[K] extends FieldSpec<infer T> ? T : never };

/** Shorthand for a field spec. */
export function field<T>(codec: Codec<T>, omitEmpty = false): FieldSpec<T> {
  return { codec, omitEmpty };
}

/** A u64 field that decodes to 0 when absent (and, if `omitEmpty`, is omitted when 0). */
export function u64Field(omitEmpty = true): FieldSpec<bigint> {
  return field(
    withDefault(u64Codec, () => 0n),
    omitEmpty,
  );
}

/** A quantity field that decodes to 0 when absent (and, if `omitEmpty`, is omitted when 0). */
export function quantityField(omitEmpty = true): FieldSpec<bigint> {
  return field(
    withDefault(quantityCodec, () => 0n),
    omitEmpty,
  );
}

/** An omitempty boolean field (absent = false). */
export function flagField(): FieldSpec<boolean> {
  return field(
    withDefault(boolCodec, () => false),
    true,
  );
}

/**
 * A struct whose typed form uses the wire field names. Unknown fields are rejected in both forms;
 * omitempty fields that are absent decode to their codec's empty value only when it is `optionalCodec`
 * (so absence is visible) — give other omitempty fields an explicit default with `withDefault`.
 */
export function structCodec<S extends Record<string, FieldSpec<unknown>>>(spec: S): Codec<FieldsOf<S>> {
  const names = Object.keys(spec);
  // Field paths by parent path: one struct is decoded under the same few paths over and over (an account
  // per transaction), and building each field's path string on every decode was a measurable cost.
  const pathsByParent = new Map<string, string[]>();
  const fieldPaths = (p: string): string[] => {
    let paths = pathsByParent.get(p);
    if (paths === undefined) {
      paths = names.map((name) => (p ? `${p}.${name}` : name));
      if (pathsByParent.size >= 64) pathsByParent.clear();
      pathsByParent.set(p, paths);
    }
    return paths;
  };
  /** The fields of a plain object (a decoded CBOR map with text keys, or parsed JSON), checked against the spec. */
  const objectFields = (obj: Record<string, unknown>, p: string): ((name: string) => unknown) => {
    for (const k of Object.keys(obj)) {
      if (!Object.hasOwn(spec, k)) return fail(p ? `${p}.${k}` : k, 'unknown field');
    }
    return (name) => (Object.hasOwn(obj, name) ? obj[name] : undefined);
  };
  /** The fields of any other map (a `Map`, whose keys may not be text). */
  const mapFields = (entries: Array<[unknown, unknown]>, p: string): ((name: string) => unknown) => {
    const present = new Map<string, unknown>();
    for (const [k, x] of entries) {
      if (typeof k !== 'string') return fail(p, 'map key is not a text string');
      if (!Object.hasOwn(spec, k)) return fail(p ? `${p}.${k}` : k, 'unknown field');
      present.set(k, x);
    }
    return (name) => present.get(name);
  };
  const read = (v: unknown, p: string, json: boolean): FieldsOf<S> => {
    const isObject = v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array);
    const field = json
      ? isObject
        ? objectFields(v as Record<string, unknown>, p)
        : fail(p, 'expected an object')
      : isObject && !(v instanceof Map)
        ? objectFields(v as Record<string, unknown>, p)
        : mapFields(mapEntries(v as CborValue, p), p);
    const out: Record<string, unknown> = {};
    const paths = fieldPaths(p);
    for (let i = 0; i < names.length; i++) {
      const name = names[i]!;
      const f = spec[name]!;
      const fp = paths[i]!;
      const x = field(name);
      if (x === undefined || (json && x === null && f.omitEmpty)) {
        if (!f.codec.empty) return fail(fp, 'missing required field');
        out[name] = f.codec.empty();
        continue;
      }
      out[name] = json ? f.codec.fromJson(x, fp) : f.codec.decode(x as CborValue, fp);
    }
    return out as FieldsOf<S>;
  };
  const write = (v: FieldsOf<S>, json: boolean): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const name of names) {
      const f = spec[name]!;
      const x = (v as Record<string, unknown>)[name];
      if (x === undefined || (f.omitEmpty && f.codec.isEmpty(x))) continue;
      out[name] = json ? f.codec.toJson(x) : f.codec.encode(x);
    }
    return out;
  };
  return {
    decode: (v, p) => read(v, p, false),
    encode: (v) => write(v, false),
    fromJson: (v, p) => read(v, p, true),
    toJson: (v) => write(v, true),
    isEmpty: (v) =>
      names.every((n) => {
        const x = (v as Record<string, unknown>)[n];
        return x === undefined || spec[n]!.codec.isEmpty(x);
      }),
  };
}

/** An array that must be empty: for genesis parts of services that are not run yet. */
export function emptyOnlyArray(what: string): Codec<never[]> {
  const inner = arrayCodec(u64Codec);
  const check = (v: unknown[], p: string): never[] => {
    if (v.length > 0) throw new CodecError(p, `${what} in genesis are not supported yet`);
    return [];
  };
  return {
    ...inner,
    decode: (v, p) => check(inner.decode(v, p), p),
    fromJson: (v, p) => check(inner.fromJson(v, p), p),
  } as Codec<never[]>;
}

/** A map that must be empty (see `emptyOnlyArray`). */
export function emptyOnlyMap(what: string): Codec<Map<never, never>> {
  const inner = mapCodec(textCodec, u64Codec);
  const check = (v: Map<string, bigint>, p: string): Map<never, never> => {
    if (v.size > 0) throw new CodecError(p, `${what} in genesis are not supported yet`);
    return new Map<never, never>();
  };
  return {
    ...inner,
    decode: (v, p) => check(inner.decode(v, p), p),
    fromJson: (v, p) => check(inner.fromJson(v, p), p),
  } as Codec<Map<never, never>>;
}

/** A codec whose absent value (in an omitempty field) decodes to `value()`. */
export function withDefault<T>(codec: Codec<T>, value: () => T): Codec<T> {
  return { ...codec, empty: value };
}

/**
 * A codec of an in-memory type `T` that is a view of a wire shape `W`: the shape is declared once (the wire
 * codec, with the wire's field names and omitempty rules) and `T` is derived from it, so the two never
 * drift apart. `fromWire`/`toWire` convert without going through bytes.
 */
export interface ViewCodec<W, T, E = unknown> extends Codec<T> {
  /** The wire-shaped codec this view is over. */
  readonly wire: Codec<W>;
  /** The CBOR-ready form (`E`: e.g. an object, for a view over a struct). */
  encode(value: T): E;
  /** The view of a decoded wire value (may validate; errors name `path`). */
  fromWire(value: W, path: string): T;
  /** The wire value of a view. */
  toWire(value: T): W;
}

/** Builds a `ViewCodec` from a wire codec and the two conversions (`E` types the CBOR-ready form). */
export function viewCodec<W, T, E = unknown>(
  wire: Codec<W>,
  fromWire: (value: W, path: string) => T,
  toWire: (value: T) => W,
): ViewCodec<W, T, E> {
  const empty = wire.empty;
  return {
    wire,
    fromWire,
    toWire,
    decode: (v, p) => fromWire(wire.decode(v, p), p),
    encode: (v) => wire.encode(toWire(v)) as E,
    fromJson: (v, p) => fromWire(wire.fromJson(v, p), p),
    toJson: (v) => wire.toJson(toWire(v)),
    isEmpty: (v) => wire.isEmpty(toWire(v)),
    ...(empty ? { empty: () => fromWire(empty(), '') } : {}),
  };
}

/** Parses JSON, keeping integers beyond 2^53 exact (they decode through `u64Codec`). */
export function parseJson(text: string): unknown {
  const marked = text.replace(/"(?:[^"\\]|\\.)*"|-?\d{16,}(?![.eE\d])/g, (m) =>
    m.startsWith('"') || Number.isSafeInteger(Number(m)) ? m : `"\\u0000bigint:${m}"`,
  );
  return JSON.parse(marked);
}

/** The one JSON writer (Go's layout), re-exported where the codecs' users look for it. */
export { stringifyJson } from './json.ts';
