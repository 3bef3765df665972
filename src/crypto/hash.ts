/** SHA-512/256 (FIPS 180-4, its own IV; not truncated SHA-512), the hash oasis-core uses almost everywhere. */
import { createHash } from 'node:crypto';

/** Hash size in bytes. */
export const HASH_SIZE = 32;

/** SHA-512/256 over the concatenation of `parts`. */
export function sha512_256(...parts: Uint8Array[]): Uint8Array {
  const h = createHash('sha512-256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

/** SHA-512/256 of the empty input: the "empty hash" oasis-core uses for nil pointers and empty lists. */
export const EMPTY_HASH: Uint8Array = sha512_256();
