/**
 * Quantities (token amounts, shares): non-negative big integers encoded as minimal big-endian byte strings,
 * zero as the empty byte string, exactly as oasis-core's `quantity.Quantity`.
 */
import { CodecError } from '../errors.ts';
import type { Decoder } from './schema.ts';

/** Largest encoded quantity we accept (256 bits: far above any total supply). */
export const MAX_QUANTITY_BYTES = 32;

/** Minimal big-endian bytes of a non-negative bigint; 0n is empty. */
export function quantityToBytes(value: bigint): Uint8Array {
  if (value < 0n) throw new RangeError('quantity must not be negative');
  if (value === 0n) return new Uint8Array(0);
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  return new Uint8Array(Buffer.from(hex, 'hex'));
}

/** Parses minimal big-endian bytes; leading zero bytes are non-canonical and rejected. */
export function quantityFromBytes(bytes: Uint8Array, path = ''): bigint {
  if (bytes.length === 0) return 0n;
  if (bytes[0] === 0) throw new CodecError(path, 'non-canonical quantity (leading zero byte)');
  if (bytes.length > MAX_QUANTITY_BYTES)
    throw new CodecError(path, `quantity longer than ${MAX_QUANTITY_BYTES} bytes`);
  return BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
}

/** Decoder for a quantity field. */
export const quantity: Decoder<bigint> = (value, path) => {
  if (!(value instanceof Uint8Array)) throw new CodecError(path, 'expected a quantity (byte string)');
  return quantityFromBytes(value, path);
};

/** Parses a decimal string amount (as oasis-core's JSON form and our CLI accept). */
export function parseQuantity(text: string): bigint {
  if (!/^[0-9]+$/.test(text))
    throw new RangeError(`invalid amount ${JSON.stringify(text)}: expected a decimal integer`);
  return BigInt(text);
}
