/**
 * JSON files in the form oasis-core writes them (entity.json, entity_genesis.json, node_genesis.json):
 * Go's `json.MarshalIndent(v, "", "  ")` layout, []byte as standard base64, field names as the json tags,
 * and signed envelopes as `{untrusted_raw_value, signature{public_key, signature}}` /
 * `{untrusted_raw_value, signatures[]}`. Readers are strict: unknown or missing fields are `CodecError`s
 * naming the file and field.
 */
import { fromBase64, toBase64 } from '../../codec/bytes.ts';
import type { GoJsonValue } from '../../codec/json.ts';
import { CodecError } from '../../errors.ts';
import { PUBLIC_KEY_SIZE, SIGNATURE_SIZE } from '../ed25519.ts';
import type { MultiSigned, Signature, Signed } from '../signature.ts';

export type { GoJsonValue };

/** A parsed JSON object whose fields are checked one by one; `file` names the source in errors. */
export class JsonReader {
  readonly #obj: Record<string, unknown>;
  readonly #where: string;

  constructor(value: unknown, where: string, allowed: readonly string[]) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new CodecError(where, 'expected a JSON object');
    }
    this.#obj = value as Record<string, unknown>;
    this.#where = where;
    for (const key of Object.keys(this.#obj)) {
      if (!allowed.includes(key)) throw new CodecError(`${where}.${key}`, 'unknown field');
    }
  }

  /** True when the field is present and not null. */
  has(key: string): boolean {
    return this.#obj[key] !== undefined && this.#obj[key] !== null;
  }

  /** The raw field value. */
  raw(key: string): unknown {
    if (this.#obj[key] === undefined) throw new CodecError(`${this.#where}.${key}`, 'missing required field');
    return this.#obj[key];
  }

  /** A base64 byte-string field, optionally of an exact length. */
  bytes(key: string, length?: number): Uint8Array {
    return parseBase64(this.raw(key), `${this.#where}.${key}`, length);
  }

  /** A non-negative integer field. */
  uint(key: string): number {
    const v = this.raw(key);
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
      throw new CodecError(`${this.#where}.${key}`, 'expected a non-negative integer');
    }
    return v;
  }

  /** An array field (null counts as empty, as Go writes nil slices). */
  array(key: string): unknown[] {
    const v = this.raw(key);
    if (v === null) return [];
    if (!Array.isArray(v)) throw new CodecError(`${this.#where}.${key}`, 'expected an array');
    return v;
  }
}

/** A base64 JSON string as bytes, optionally of an exact length (Go's []byte and key encodings). */
export function parseBase64(value: unknown, where: string, length?: number): Uint8Array {
  if (typeof value !== 'string') throw new CodecError(where, 'expected a base64 string');
  let out: Uint8Array;
  try {
    out = fromBase64(value);
  } catch {
    throw new CodecError(where, 'invalid base64');
  }
  if (length !== undefined && out.length !== length) {
    throw new CodecError(where, `expected ${length} bytes, got ${out.length}`);
  }
  return out;
}

/** Parses JSON text, naming `where` on a syntax error. */
export function parseJsonFile(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new CodecError(where, `invalid JSON: ${(err as Error).message}`);
  }
}

function signatureToJson(sig: Signature): GoJsonValue {
  return { public_key: toBase64(sig.public_key), signature: toBase64(sig.signature) };
}

function signatureFromJson(value: unknown, where: string): Signature {
  const r = new JsonReader(value, where, ['public_key', 'signature']);
  return {
    public_key: r.bytes('public_key', PUBLIC_KEY_SIZE),
    signature: r.bytes('signature', SIGNATURE_SIZE),
  };
}

/** JSON form of a `Signed` envelope. */
export function signedToJson(signed: Signed): GoJsonValue {
  return {
    untrusted_raw_value: toBase64(signed.untrusted_raw_value),
    signature: signatureToJson(signed.signature),
  };
}

/** Parses the JSON form of a `Signed` envelope (signature not checked here). */
export function signedFromJson(value: unknown, where: string): Signed {
  const r = new JsonReader(value, where, ['untrusted_raw_value', 'signature']);
  return {
    untrusted_raw_value: r.bytes('untrusted_raw_value'),
    signature: signatureFromJson(r.raw('signature'), `${where}.signature`),
  };
}

/** JSON form of a `MultiSigned` envelope. */
export function multiSignedToJson(ms: MultiSigned): GoJsonValue {
  return {
    untrusted_raw_value: toBase64(ms.untrusted_raw_value),
    signatures: ms.signatures.map(signatureToJson),
  };
}

/** Parses the JSON form of a `MultiSigned` envelope (signatures not checked here). */
export function multiSignedFromJson(value: unknown, where: string): MultiSigned {
  const r = new JsonReader(value, where, ['untrusted_raw_value', 'signatures']);
  return {
    untrusted_raw_value: r.bytes('untrusted_raw_value'),
    signatures: r.array('signatures').map((s, i) => signatureFromJson(s, `${where}.signatures[${i}]`)),
  };
}
