/** Shared helpers for the MKVS tests: a seeded PRNG, an in-memory loader and an independent root hash. */
import { compareBytes } from '../../../src/codec/bytes.ts';
import { EMPTY_HASH } from '../../../src/crypto/hash.ts';
import { commonPrefixBits, getBit, sliceBits } from '../../../src/state/mkvs/bits.ts';
import { internalHash, leafHash, type NodeLoader, newLeaf } from '../../../src/state/mkvs/node.ts';

/** Deterministic xorshift32 PRNG (tests must be reproducible). */
export function prng(seed: number): (n: number) => number {
  let s = seed >>> 0 || 1;
  return (n: number) => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s % n;
  };
}

/** Random bytes of length `len` from `rand`. */
export function randomBytes(rand: (n: number) => number, len: number): Uint8Array {
  const out = new Uint8Array(len);
  for (let i = 0; i < len; i++) out[i] = rand(256);
  return out;
}

/** A loader for purely in-memory trees: any persisted node is an error. */
export const MEMORY_ONLY: NodeLoader = {
  load: () => {
    throw new Error('in-memory tree has no persisted nodes');
  },
};

/**
 * Root hash of a key set computed directly from the sorted set (no incremental updates), as an
 * independent check of the trie shape: a subtree's label runs from its depth to the longest common
 * prefix of its keys, the key ending there is its leaf, the rest split on the next bit.
 */
export function referenceRoot(entries: Array<[Uint8Array, Uint8Array]>): Uint8Array {
  const sorted = [...entries].sort((a, b) => compareBytes(a[0], b[0]));
  const build = (items: Array<[Uint8Array, Uint8Array]>, depth: number): Uint8Array => {
    if (items.length === 0) return EMPTY_HASH;
    if (items.length === 1) return leafHash(newLeaf(items[0]![0], items[0]![1]));
    const first = items[0]![0];
    let cp = Number.MAX_SAFE_INTEGER;
    for (const [key] of items.slice(1)) {
      cp = Math.min(
        cp,
        commonPrefixBits(first, depth, first.length * 8 - depth, key, depth, key.length * 8 - depth),
      );
    }
    const branch = depth + cp;
    const leafItem = items.find(([k]) => k.length * 8 === branch);
    const rest = items.filter(([k]) => k.length * 8 > branch);
    const left = rest.filter(([k]) => !getBit(k, branch));
    const right = rest.filter(([k]) => getBit(k, branch));
    return internalHash(
      sliceBits(first, depth, branch),
      cp,
      leafItem === undefined ? EMPTY_HASH : leafHash(newLeaf(leafItem[0], leafItem[1])),
      build(left, branch),
      build(right, branch),
    );
  };
  return build(sorted, 0);
}
