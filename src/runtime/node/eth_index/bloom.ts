/**
 * Ethereum's 2048-bit logs bloom (yellow paper M3:2048): for the address and each topic of a log, three
 * bits chosen by the first three 16-bit words of its keccak256, mod 2048, counted from the right.
 */
import { keccak_256 } from '@noble/hashes/sha3.js';

/** Size of a logs bloom. */
export const BLOOM_BYTES = 256;

/** Adds `value` (an address or a topic) to `bloom`. */
export function bloomAdd(bloom: Uint8Array, value: Uint8Array): void {
  const h = keccak_256(value);
  for (let i = 0; i < 6; i += 2) {
    const bit = ((h[i]! << 8) | h[i + 1]!) & 2047;
    bloom[BLOOM_BYTES - 1 - (bit >> 3)]! |= 1 << (bit & 7);
  }
}

/** The bloom of a set of logs. */
export function logsBloom(logs: ReadonlyArray<{ address: Uint8Array; topics: Uint8Array[] }>): Uint8Array {
  const bloom = new Uint8Array(BLOOM_BYTES);
  for (const log of logs) {
    bloomAdd(bloom, log.address);
    for (const t of log.topics) bloomAdd(bloom, t);
  }
  return bloom;
}

/** `into |= from`. */
export function bloomMerge(into: Uint8Array, from: Uint8Array): void {
  for (let i = 0; i < BLOOM_BYTES; i++) into[i]! |= from[i]!;
}
