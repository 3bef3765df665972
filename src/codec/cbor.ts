/**
 * Canonical CBOR exactly as oasis-core encodes it: map keys sorted length-first then byte-wise (RFC 7049
 * canonical), minimal integers and lengths, no tags, no indefinite lengths. Decoding is strict: anything
 * that would not re-encode to the same bytes is rejected, so a hash or signature over decoded input is
 * always over the one canonical form.
 */
import { decode as cborgDecode, encode as cborgEncode } from 'cborg';
import { CodecError } from '../errors.ts';
import { bytesEqual } from './bytes.ts';
import { checkCborStructure } from './cbor_scan.ts';

export { MAX_NESTING_DEPTH } from './cbor_scan.ts';

/** Largest input `decodeCanonical` accepts by default (oasis-core's gRPC limit is 100 MiB; txs are far smaller). */
export const DEFAULT_MAX_DECODE_BYTES = 16 * 1024 * 1024;

/** A CBOR value as we handle it: maps with string keys are plain objects, others are `Map`s. */
export type CborValue =
  | number
  | bigint
  | string
  | boolean
  | null
  | Uint8Array
  | CborValue[]
  | Map<CborValue, CborValue>
  | { [key: string]: CborValue };

const ENCODE_OPTIONS = {
  typeEncoders: {
    undefined: () => {
      throw new CodecError('', 'cannot encode undefined (omit the field instead)');
    },
  },
};

const DECODE_OPTIONS = {
  strict: true,
  rejectDuplicateMapKeys: true,
  allowIndefinite: false,
  allowUndefined: false,
  allowInfinity: false,
  allowNaN: false,
  useMaps: true,
  tags: [],
};

/** Encodes `value` as canonical CBOR. `undefined` anywhere is a programming error and throws. */
export function encodeCanonical(value: unknown): Uint8Array {
  return encodeCommon(value) ?? cborgEncode(value, ENCODE_OPTIONS);
}

/**
 * The bytes cborg's encoder gives for values made only of safe or 64-bit integers, ASCII strings, byte
 * strings, false/true/null, arrays, plain objects and Maps with such keys; undefined for anything else
 * (floats, other text, other objects, undefined, duplicate or unusual map keys), which cborg then encodes.
 * It writes straight into one buffer and sorts a map's keys by their encodings (major type, length, bytes:
 * cborg's default order) instead of building tokens for them, at several times cborg's speed for the
 * accounts, results and messages encoded on every transaction.
 */
function encodeCommon(value: unknown): Uint8Array | undefined {
  // One writer serves every call (its buffer grows to the largest value seen); a call made while it is in
  // use (from a getter of the value being encoded) gets its own.
  const out = sharedWriter.busy ? new CommonWriter() : sharedWriter;
  out.reset();
  out.busy = true;
  try {
    return out.value(value) ? out.bytes() : undefined;
  } finally {
    out.busy = false;
  }
}

const TWO_64 = 1n << 64n;

/** Growable output of `encodeCommon`; each method answers false when the value is not a common one. */
class CommonWriter {
  #buf: Uint8Array;
  #pos = 0;
  /** In use by an `encodeCommon` call. */
  busy = false;

  constructor(capacity = 256) {
    this.#buf = new Uint8Array(capacity);
  }

  reset(): void {
    this.#pos = 0;
  }

  bytes(): Uint8Array {
    return this.#buf.slice(0, this.#pos);
  }

  #room(n: number): void {
    if (this.#pos + n <= this.#buf.length) return;
    const grown = new Uint8Array(Math.max(this.#buf.length * 2, this.#pos + n));
    grown.set(this.#buf.subarray(0, this.#pos));
    this.#buf = grown;
  }

  #head(major: number, n: number | bigint): void {
    this.#room(9);
    const b = this.#buf;
    const m = major << 5;
    if (typeof n === 'number') {
      if (n < 24) b[this.#pos++] = m | n;
      else if (n < 0x100) {
        b[this.#pos++] = m | 24;
        b[this.#pos++] = n;
      } else if (n < 0x1_0000) {
        b[this.#pos++] = m | 25;
        b[this.#pos++] = n >> 8;
        b[this.#pos++] = n & 0xff;
      } else if (n < 0x1_0000_0000) {
        b[this.#pos++] = m | 26;
        new DataView(b.buffer).setUint32(this.#pos, n);
        this.#pos += 4;
      } else {
        b[this.#pos++] = m | 27;
        new DataView(b.buffer).setBigUint64(this.#pos, BigInt(n));
        this.#pos += 8;
      }
      return;
    }
    if (n < 0x1_0000_0000n) {
      this.#head(major, Number(n));
      return;
    }
    b[this.#pos++] = m | 27;
    new DataView(b.buffer).setBigUint64(this.#pos, n);
    this.#pos += 8;
  }

  #raw(bytes: Uint8Array): void {
    this.#room(bytes.length);
    this.#buf.set(bytes, this.#pos);
    this.#pos += bytes.length;
  }

  value(v: unknown): boolean {
    switch (typeof v) {
      case 'number':
        if (!Number.isSafeInteger(v)) return false;
        if (v >= 0) this.#head(0, v);
        else this.#head(1, -v - 1);
        return true;
      case 'bigint':
        if (v >= 0n) {
          if (v >= TWO_64) return false;
          this.#head(0, v);
        } else {
          if (v < -TWO_64) return false;
          this.#head(1, -v - 1n);
        }
        return true;
      case 'string': {
        const n = v.length;
        this.#head(3, n);
        this.#room(n);
        for (let i = 0; i < n; i++) {
          const c = v.charCodeAt(i);
          if (c >= 0x80) return false;
          this.#buf[this.#pos++] = c;
        }
        return true;
      }
      case 'boolean':
        this.#room(1);
        this.#buf[this.#pos++] = v ? 0xf5 : 0xf4;
        return true;
      case 'object':
        break;
      default:
        return false;
    }
    if (v === null) {
      this.#room(1);
      this.#buf[this.#pos++] = 0xf6;
      return true;
    }
    if (v instanceof Uint8Array) {
      this.#head(2, v.length);
      this.#raw(v);
      return true;
    }
    if (Array.isArray(v)) {
      this.#head(4, v.length);
      for (const item of v) if (!this.value(item)) return false;
      return true;
    }
    if (v instanceof Map) return this.#map([...v.entries()]);
    const proto = Object.getPrototypeOf(v);
    if (proto === Object.prototype || proto === null) return this.#map(Object.entries(v));
    return false;
  }

  #map(entries: Array<[unknown, unknown]>): boolean {
    const keyed: Array<[Uint8Array, unknown]> = [];
    for (const [k, v] of entries) {
      if (v === undefined) return false;
      const bytes = encodeKey(k);
      if (bytes === undefined) return false;
      // Only scalar keys sort by their encoding as cborg sorts them.
      if (bytes[0]! >> 5 > 3) return false;
      keyed.push([bytes, v]);
    }
    keyed.sort((a, b) => compareEncodedKeys(a[0], b[0]));
    for (let i = 1; i < keyed.length; i++) {
      if (compareEncodedKeys(keyed[i - 1]![0], keyed[i]![0]) === 0) return false;
    }
    this.#head(5, keyed.length);
    for (const [key, v] of keyed) {
      this.#raw(key);
      if (!this.value(v)) return false;
    }
    return true;
  }
}

const sharedWriter = new CommonWriter(4096);

/** Encodings of text map keys (field names, mostly): a struct's keys are encoded for every value. */
const textKeys = new Map<string, Uint8Array>();
const TEXT_KEYS_LIMIT = 4096;

/** The encoding of a map key, or undefined when it is not a common value. */
function encodeKey(k: unknown): Uint8Array | undefined {
  if (typeof k === 'string') {
    const known = textKeys.get(k);
    if (known !== undefined) return known;
  }
  const w = new CommonWriter(16);
  if (!w.value(k)) return undefined;
  const bytes = w.bytes();
  if (typeof k === 'string' && k.length <= 64) {
    if (textKeys.size >= TEXT_KEYS_LIMIT) textKeys.clear();
    textKeys.set(k, bytes);
  }
  return bytes;
}

/** cborg's default order of scalar map keys, on their encodings: major type, then length, then bytes. */
function compareEncodedKeys(a: Uint8Array, b: Uint8Array): number {
  const major = (a[0]! >> 5) - (b[0]! >> 5);
  if (major !== 0) return major;
  if (a.length !== b.length) return a.length - b.length;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

/**
 * Decodes canonical CBOR. Maps whose keys are all strings become plain objects; any other map stays a `Map`.
 * Throws `CodecError` for malformed, trailing, oversize, tagged, indefinite or non-canonical input, and for
 * nesting deeper than `MAX_NESTING_DEPTH` (checked first, by an iterative pre-scan: hostile input never
 * reaches the recursive decoder).
 */
export function decodeCanonical(bytes: Uint8Array, maxBytes = DEFAULT_MAX_DECODE_BYTES): CborValue {
  if (bytes.length > maxBytes) {
    throw new CodecError('', `input of ${bytes.length} bytes exceeds the limit of ${maxBytes}`);
  }
  if (bytes.length === 0) {
    throw new CodecError('', 'empty input');
  }
  const proven = checkCborStructure(bytes);
  let raw: unknown;
  try {
    raw = cborgDecode(bytes, DECODE_OPTIONS);
  } catch (err) {
    throw new CodecError('', `malformed CBOR: ${(err as Error).message}`);
  }
  const value = normalizeMaps(raw);
  // The pre-scan proved the common shapes canonical; re-encoding (as costly as the decoding) checks the rest.
  if (proven) return value;
  let reencoded: Uint8Array;
  try {
    reencoded = encodeCanonical(value);
  } catch (err) {
    throw new CodecError('', `unencodable CBOR: ${(err as Error).message}`);
  }
  if (!bytesEqual(reencoded, bytes)) {
    throw new CodecError('', 'non-canonical CBOR encoding');
  }
  return value;
}

/**
 * Decodes CBOR known to be canonical already: consensus state values (consensus only ever stores its own
 * `encodeCanonical` output or input proven canonical when admitted, under a root all nodes agreed on, whether
 * executed here or state-synced with proofs) and the node's own stored records. The structural pre-scan and
 * the re-encode proof of `decodeCanonical` (about half its cost, on every account read of every transaction)
 * are skipped; on canonical input the result is the same value. Never use it on bytes from a peer or a client.
 */
export function decodeOwnCanonical(bytes: Uint8Array): CborValue {
  try {
    return normalizeMaps(cborgDecode(bytes, DECODE_OPTIONS));
  } catch (err) {
    throw new CodecError('', `malformed CBOR: ${(err as Error).message}`);
  }
}

/** Turns string-keyed `Map`s into plain objects (recursively); other maps stay `Map`s. */
function normalizeMaps(value: unknown): CborValue {
  if (value instanceof Map) {
    let allStrings = value.size > 0;
    for (const key of value.keys()) {
      if (typeof key !== 'string' || key === '__proto__') {
        allStrings = false;
        break;
      }
    }
    if (allStrings) {
      const obj: { [key: string]: CborValue } = Object.create(null);
      for (const [k, v] of value) obj[k as string] = normalizeMaps(v);
      return obj;
    }
    const out = new Map<CborValue, CborValue>();
    for (const [k, v] of value) out.set(normalizeMaps(k), normalizeMaps(v));
    return out;
  }
  if (Array.isArray(value)) return value.map(normalizeMaps);
  return value as CborValue;
}
