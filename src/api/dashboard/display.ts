/**
 * CBOR values (transaction bodies, event values) turned into JSON a person can read: 21-byte strings as
 * `oasis1…` addresses, quantity fields (`amount`, `shares`, …) as decimal, other bytes as hex, bigints
 * as decimal strings, maps as objects.
 */
import { toHex } from '../../codec/bytes.ts';
import { quantityFromBytes } from '../../codec/quantity.ts';
import { ADDRESS_SIZE, addressToBech32 } from '../../crypto/address.ts';

/** Field names whose byte strings are quantities in oasis-core's wire formats. */
const QUANTITY_FIELDS = new Set(['amount', 'amount_change', 'shares', 'debonding_amount', 'balance']);

/** `value` as display JSON; `field` is the name it sits under, if any. */
export function displayValue(value: unknown, field = ''): unknown {
  if (value instanceof Uint8Array) {
    if (QUANTITY_FIELDS.has(field)) {
      try {
        return quantityFromBytes(value).toString();
      } catch {
        return toHex(value);
      }
    }
    return value.length === ADDRESS_SIZE ? addressToBech32(value) : toHex(value);
  }
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map((v) => displayValue(v));
  if (value instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of value) {
      const key = typeof k === 'string' ? k : String(displayValue(k));
      out[key] = displayValue(v, key);
    }
    return out;
  }
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = displayValue(v, k);
    return out;
  }
  return value;
}
