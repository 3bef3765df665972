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
  return cborgEncode(value, ENCODE_OPTIONS);
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
