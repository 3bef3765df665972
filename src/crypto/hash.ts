/** SHA-512/256 (FIPS 180-4, its own IV; not truncated SHA-512), the hash oasis-core uses almost everywhere. */
import { hash } from 'node:crypto';

/** Hash size in bytes. */
export const HASH_SIZE = 32;

/**
 * Node's one-shot digest of the concatenation of `parts` as a fresh Uint8Array. The one-shot call is about
 * twice as fast as a `createHash` object for the short inputs a node hashes most (transactions, tree nodes,
 * addresses), which made hashing ~8 % of a validator's busy time under load.
 */
export function digestOf(algorithm: string, parts: readonly Uint8Array[]): Uint8Array {
  const input = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  const out = hash(algorithm, input, 'buffer') as unknown as Buffer;
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/** SHA-512/256 over the concatenation of `parts`. */
export function sha512_256(...parts: Uint8Array[]): Uint8Array {
  return digestOf('sha512-256', parts);
}

/** SHA-512/256 of the empty input: the "empty hash" oasis-core uses for nil pointers and empty lists. */
export const EMPTY_HASH: Uint8Array = sha512_256();
