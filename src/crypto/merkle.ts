/**
 * CometBFT's simple Merkle tree (RFC 6962 shape: SHA-256, leaf = H(0x00 ‖ item), inner = H(0x01 ‖ l ‖ r),
 * split at the largest power of two below the size; the empty tree hashes to H("")). A block's
 * `data_hash` is this root over the transactions' SHA-256 hashes, as CometBFT's, so a client can check
 * one transaction's inclusion with `GetTransactionsWithProofs` and the header alone.
 */
import { digestOf } from './hash.ts';

/** A proof that one item is in a tree (CometBFT `merkle.Proof`). */
export interface MerkleProof {
  total: number;
  index: number;
  /** H(0x00 ‖ item). */
  leafHash: Uint8Array;
  /** Sibling hashes from the leaf up to the root. */
  aunts: Uint8Array[];
}

/** SHA-256 over the concatenation of `parts`. */
export function sha256(...parts: Uint8Array[]): Uint8Array {
  return digestOf('sha256', parts);
}

const LEAF = Uint8Array.of(0);
const INNER = Uint8Array.of(1);

/** Hash of a leaf holding `item`. */
export function merkleLeafHash(item: Uint8Array): Uint8Array {
  return sha256(LEAF, item);
}

function innerHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  return sha256(INNER, left, right);
}

/** Largest power of two strictly below `n` (n ≥ 2). */
function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

function rootOfLeaves(leaves: readonly Uint8Array[], from: number, to: number): Uint8Array {
  const n = to - from;
  if (n === 1) return leaves[from]!;
  const k = splitPoint(n);
  return innerHash(rootOfLeaves(leaves, from, from + k), rootOfLeaves(leaves, from + k, to));
}

/** Root of the tree over `items`. */
export function merkleRoot(items: readonly Uint8Array[]): Uint8Array {
  if (items.length === 0) return sha256();
  return rootOfLeaves(items.map(merkleLeafHash), 0, items.length);
}

/** The proofs of every item of `items`, in item order (O(n log n), as CometBFT's ProofsFromByteSlices). */
export function merkleProofs(items: readonly Uint8Array[]): MerkleProof[] {
  const leaves = items.map(merkleLeafHash);
  const aunts: Uint8Array[][] = leaves.map(() => []);
  const build = (from: number, to: number): Uint8Array => {
    if (to - from === 1) return leaves[from]!;
    const k = splitPoint(to - from);
    const left = build(from, from + k);
    const right = build(from + k, to);
    for (let i = from; i < from + k; i++) aunts[i]!.push(right);
    for (let i = from + k; i < to; i++) aunts[i]!.push(left);
    return innerHash(left, right);
  };
  if (leaves.length > 0) build(0, leaves.length);
  return leaves.map((leafHash, index) => ({ total: leaves.length, index, leafHash, aunts: aunts[index]! }));
}

/** Root a proof leads to, or undefined when its shape does not fit (CometBFT computeHashFromAunts). */
function rootFromAunts(
  index: number,
  total: number,
  leaf: Uint8Array,
  aunts: Uint8Array[],
): Uint8Array | undefined {
  if (index >= total || index < 0 || total <= 0) return undefined;
  if (total === 1) return aunts.length === 0 ? leaf : undefined;
  if (aunts.length === 0) return undefined;
  const k = splitPoint(total);
  const last = aunts[aunts.length - 1]!;
  const rest = aunts.slice(0, -1);
  if (index < k) {
    const left = rootFromAunts(index, k, leaf, rest);
    return left === undefined ? undefined : innerHash(left, last);
  }
  const right = rootFromAunts(index - k, total - k, leaf, rest);
  return right === undefined ? undefined : innerHash(last, right);
}

/** True when `proof` shows `item` at its index in the tree with `root`. */
export function verifyMerkleProof(root: Uint8Array, proof: MerkleProof, item: Uint8Array): boolean {
  const leaf = merkleLeafHash(item);
  if (Buffer.compare(leaf, proof.leafHash) !== 0) return false;
  const computed = rootFromAunts(proof.index, proof.total, leaf, proof.aunts);
  return computed !== undefined && Buffer.compare(computed, root) === 0;
}
