/**
 * Proofs of a contiguous key range, the unit of a checkpoint chunk (as oasis-core's chunker: one Merkle
 * proof rooted at the checkpoint root that carries, in full, every node on the paths to the range's keys
 * and gives everything else by hash). A receiver that trusts only the root rebuilds the partial tree,
 * checks it hashes to the root, and can then believe every entry the proof reveals.
 */
import { MkvsErrorCode, mkvsError } from './errors.ts';
import { iterateEntries } from './iterate.ts';
import { buildMultiProof } from './multi_proof.ts';
import { type Child, childHash, type NodeLoader } from './node.ts';
import { isHashOnlyLeaf, PROOF_VERSION, type Proof, rebuildProofTree } from './proof.ts';

/** A range proof and where the next range starts (undefined: this one reaches the last key). */
export interface RangeProof {
  proof: Proof;
  /** Keys the proof reveals. */
  entries: number;
  /** First key after the range. */
  next: Uint8Array | undefined;
}

/** Estimated proof bytes a key adds beyond its own key and value (leaf framing and path nodes). */
const PER_KEY_OVERHEAD = 64;

/**
 * A proof (format v1) of the keys from `start` (inclusive; undefined: the first key) onwards, as many as
 * fit about `targetBytes` (at least one), under `root`.
 */
export function buildRangeProof(
  loader: NodeLoader,
  root: Child,
  start: Uint8Array | undefined,
  targetBytes: number,
): RangeProof {
  const keys: Uint8Array[] = [];
  let size = 0;
  let next: Uint8Array | undefined;
  for (const [key, value] of iterateEntries(loader, root, new Uint8Array(0), start)) {
    if (keys.length > 0 && size >= targetBytes) {
      next = key;
      break;
    }
    keys.push(key);
    size += key.length + value.length + PER_KEY_OVERHEAD;
  }
  // Between two keys adjacent in key order the trie holds nothing else: the union of their lookup paths
  // carries every key of the range in full.
  return { proof: buildMultiProof(loader, root, keys, PROOF_VERSION), entries: keys.length, next };
}

/**
 * Verifies a range proof against the trusted `root` and returns the entries it reveals, in key order.
 * Throws a coded `badProof` error when it does not hash to the root.
 */
export function verifyRangeProof(root: Uint8Array, proof: Proof): Array<[Uint8Array, Uint8Array]> {
  if (proof.v !== PROOF_VERSION)
    throw mkvsError(MkvsErrorCode.badProof, `proof: range proofs are v${PROOF_VERSION}`);
  if (proof.entries.length === 0) throw mkvsError(MkvsErrorCode.badProof, 'proof: empty proof');
  const tree = rebuildProofTree(proof);
  if (Buffer.compare(childHash(tree), root) !== 0)
    throw mkvsError(MkvsErrorCode.badProof, 'proof: root mismatch');
  const out: Array<[Uint8Array, Uint8Array]> = [];
  const stack: Child[] = [tree];
  while (stack.length > 0) {
    const ptr = stack.pop()!;
    if (ptr === null || ptr.kind === 'ref') continue;
    if (ptr.kind === 'leaf') {
      out.push([ptr.key, ptr.value]);
      continue;
    }
    stack.push(ptr.right, ptr.left);
    if (ptr.leaf !== null && !isHashOnlyLeaf(ptr.leaf)) out.push([ptr.leaf.key, ptr.leaf.value]);
  }
  return out;
}
