/**
 * Printing node replies that the CLI shows as-is (`control status`, `consensus show_tx` bodies) as pretty
 * JSON. Without a schema the byte-string fields cannot be told apart, so every byte string is shown as
 * base64 (Go's default for `[]byte` and public keys), except 21-byte strings, shown as `oasis1…`
 * addresses since that is the only 21-byte type in the API. Integers stay exact (bigints print as numbers).
 */
import { toBase64 } from '../../codec/bytes.ts';
import { stringifyJson } from '../../codec/json.ts';
import { ADDRESS_SIZE, addressToBech32 } from '../../crypto/address.ts';

/** A JSON-ready view of a decoded CBOR value. */
export function cborToJsonValue(value: unknown): unknown {
  if (value instanceof Uint8Array) {
    return value.length === ADDRESS_SIZE ? addressToBech32(value) : toBase64(value);
  }
  if (Array.isArray(value)) return value.map(cborToJsonValue);
  if (value instanceof Map) {
    return Object.fromEntries(
      [...value].map(([k, v]) => [String(cborToJsonValue(k)), cborToJsonValue(v)] as const),
    );
  }
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cborToJsonValue(v)]));
  }
  return value;
}

/** Pretty JSON (two-space indent, trailing newline) of a decoded CBOR value. */
export function cborToPrettyJson(value: unknown): string {
  return stringifyJson(cborToJsonValue(value));
}
