/**
 * Proofs of a contiguous key range, the unit of a checkpoint chunk (as oasis-core's chunker: one Merkle
 * proof rooted at the checkpoint root that carries, in full, every node on the paths to the range's keys
 * and gives everything else by hash). A receiver that trusts only the root rebuilds the partial tree,
 * checks it hashes to the root, and can then believe every entry the proof reveals.
 */
import { toHex } from '../../codec/bytes.ts';
import { getBit } from './bits.ts';
import { encodeInternal, encodeLeaf } from './codec.ts';
import { MkvsErrorCode, mkvsError } from './errors.ts';
import { iterateEntries } from './iterate.ts';
import { type Child, childHash, deref, type NodeLoader } from './node.ts';
import {
  fullEntry,
  hashEntry,
  isHashOnlyLeaf,
  PROOF_VERSION,
  type Proof,
  rebuildProofTree,
} from './proof.ts';

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

/** Marks (by hash) every node on the lookup path of `key`, which must be present under `root`. */
function markPath(loader: NodeLoader, root: Child, key: Uint8Array, marked: Set<string>): void {
  const keyBits = key.length * 8;
  let ptr = root;
  let depth = 0;
  for (;;) {
    const node = deref(loader, ptr);
    if (node === null) return;
    marked.add(toHex(childHash(ptr)));
    if (node.kind === 'leaf') return;
    const branch = depth + node.labelBits;
    if (keyBits === branch) {
      if (node.leaf !== null) marked.add(toHex(childHash(node.leaf)));
      return;
    }
    ptr = getBit(key, branch) ? node.right : node.left;
    depth = branch;
  }
}

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
  const marked = new Set<string>();
  let size = 0;
  let count = 0;
  let next: Uint8Array | undefined;
  for (const [key, value] of iterateEntries(loader, root, new Uint8Array(0), start)) {
    if (count > 0 && size >= targetBytes) {
      next = key;
      break;
    }
    markPath(loader, root, key, marked);
    size += key.length + value.length + PER_KEY_OVERHEAD;
    count++;
  }
  const entries: Array<Uint8Array | null> = [];
  const emit = (ptr: Child): void => {
    const node = deref(loader, ptr);
    if (node === null || !marked.has(toHex(childHash(ptr)))) {
      entries.push(hashEntry(ptr));
      return;
    }
    if (node.kind === 'leaf') {
      entries.push(fullEntry(encodeLeaf(node)));
      return;
    }
    entries.push(fullEntry(encodeInternal(node, false, false)));
    const leaf = node.leaf;
    entries.push(
      leaf !== null && marked.has(toHex(childHash(leaf))) ? fullEntry(encodeLeaf(leaf)) : hashEntry(leaf),
    );
    emit(node.left);
    emit(node.right);
  };
  emit(root);
  return { proof: { v: PROOF_VERSION, untrustedRoot: childHash(root), entries }, entries: count, next };
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
