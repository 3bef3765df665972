/**
 * The JSON-RPC value forms (EIP-1474): quantities are `0x`-hex without leading zeros, data is even-length
 * `0x`-hex. Parsers name the bad argument by position and refuse anything else.
 */
import { fromHex, toHex } from '../../codec/bytes.ts';
import { RpcErrors } from './errors.ts';

/** A quantity: `0x0`, `0x1f`. */
export const quantity = (n: bigint | number): string => `0x${n.toString(16)}`;

/** Data: `0x`, `0x00ff`. */
export const data = (b: Uint8Array): string => `0x${toHex(b)}`;

/** Parses a quantity (leading zeros tolerated, as geth's decoder for inputs is lenient only there). */
export function parseQuantity(v: unknown, arg: number, max: bigint = (1n << 256n) - 1n): bigint {
  if (typeof v !== 'string' || !/^0x[0-9a-fA-F]{1,64}$/.test(v))
    throw RpcErrors.invalidArgument(
      arg,
      `hex string without 0x prefix or not a quantity: ${JSON.stringify(v)}`,
    );
  const n = BigInt(v);
  if (n > max) throw RpcErrors.invalidArgument(arg, `quantity ${v} out of range`);
  return n;
}

/** Parses data of any length (or exactly `length` bytes). */
export function parseData(v: unknown, arg: number, length?: number): Uint8Array {
  if (typeof v !== 'string' || !/^0x([0-9a-fA-F]{2})*$/.test(v))
    throw RpcErrors.invalidArgument(arg, `expected 0x-prefixed hex data of even length`);
  const b = fromHex(v.slice(2).toLowerCase());
  if (length !== undefined && b.length !== length)
    throw RpcErrors.invalidArgument(arg, `expected ${length} bytes of hex data, got ${b.length}`);
  return b;
}

/** Parses a 20-byte address. */
export const parseAddress = (v: unknown, arg: number): Uint8Array => parseData(v, arg, 20);

/** Parses a 32-byte hash. */
export const parseHash = (v: unknown, arg: number): Uint8Array => parseData(v, arg, 32);
