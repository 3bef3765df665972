/**
 * The one JSON writer: the layout of Go's `json.MarshalIndent(v, "", "  ")`, which is how oasis-core writes
 * every JSON file and answer an operator sees (genesis documents, entity and node descriptors, signed
 * transactions, CLI output). Integers stay exact: bigints (and the big integers `parseJson` keeps as
 * marked strings) are written as plain numbers, as Go writes uint64.
 */

/** A JSON value that may hold bigints (Go writes uint64 as plain numbers, beyond 2^53 too). */
export type GoJsonValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | GoJsonValue[]
  | { [key: string]: GoJsonValue };

/** Marker `parseJson` puts in place of integers beyond 2^53, so they keep every digit. */
export const BIGINT_MARK = '\u0000bigint:';

const MARKED_BIGINT = new RegExp(`^${BIGINT_MARK}(\\d+)$`);

function goString(s: string): string {
  // Go's encoder escapes <, > and & (HTML safety) and U+2028/U+2029 besides what JSON requires.
  return JSON.stringify(s).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** True for what `JSON.stringify` leaves out of an object (and writes as null in an array). */
function isOmitted(value: unknown): boolean {
  return value === undefined || typeof value === 'function' || typeof value === 'symbol';
}

/**
 * Serializes like Go's `json.MarshalIndent(v, "", "  ")`: keys in the given order, no trailing newline.
 * Other values are taken as `JSON.stringify` takes them (`toJSON`, omitted `undefined` fields).
 */
export function goJsonStringify(value: unknown, indent = ''): string {
  const v =
    value !== null &&
    typeof value === 'object' &&
    typeof (value as { toJSON?: unknown }).toJSON === 'function'
      ? (value as { toJSON(): unknown }).toJSON()
      : value;
  if (v === null || isOmitted(v)) return 'null';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number' || typeof v === 'boolean') return JSON.stringify(v);
  if (typeof v === 'string') return MARKED_BIGINT.exec(v)?.[1] ?? goString(v);
  const inner = `${indent}  `;
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return `[\n${v.map((x) => inner + goJsonStringify(x, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(v as object).filter(([, x]) => !isOmitted(x));
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, x]) => `${inner}${goString(k)}: ${goJsonStringify(x, inner)}`).join(',\n')}\n${indent}}`;
}

/** A JSON file's text: `goJsonStringify` and a trailing newline. */
export function stringifyJson(value: unknown): string {
  return `${goJsonStringify(value)}\n`;
}
