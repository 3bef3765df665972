/**
 * MKVS nodes and their hashes, exactly as oasis-core defines them (`go/storage/mkvs/node/node.go`):
 * - leaf: H(0x00 || LE32 len(key) || key || LE32 len(value) || value)
 * - internal: H(0x01 || LE16 label bit length || label bytes || leaf hash || left hash || right hash)
 * - nil: H("") (the empty hash).
 * An internal node's label covers the key bits from the parent's branch point (the branch bit included)
 * to its own branch point; its `leaf` is the key ending exactly there.
 */
import { hash as oneShotHash } from 'node:crypto';
import { EMPTY_HASH, HASH_SIZE } from '../../crypto/hash.ts';

/** Hash-prefix byte of leaf nodes. */
export const PREFIX_LEAF = 0x00;
/** Hash-prefix byte of internal nodes. */
export const PREFIX_INTERNAL = 0x01;
/** Marks a nil node in serialized nodes. */
export const PREFIX_NIL = 0x02;

/** Longest key: its bit length must fit oasis-core's 16-bit depth. */
export const MAX_KEY_BYTES = 8191;

/** Generation of nodes that must never be changed in place (loaded from the store or committed). */
export const FROZEN = -1;

/** A key/value pair. Leaves are immutable: an update makes a new leaf. */
export interface LeafNode {
  readonly kind: 'leaf';
  readonly key: Uint8Array;
  readonly value: Uint8Array;
  /** Cached hash (computed on first use). */
  hash: Uint8Array | undefined;
}

/**
 * A branch point. Nodes of the current working generation (`gen`) are changed in place; others are
 * copied first, so committed versions and open iterators never see later writes.
 */
export interface InternalNode {
  readonly kind: 'internal';
  label: Uint8Array;
  labelBits: number;
  leaf: LeafNode | null;
  left: Child;
  right: Child;
  /** Cached hash; undefined while the node is dirty. */
  hash: Uint8Array | undefined;
  gen: number;
}

/** A node in memory. */
export type TreeNode = LeafNode | InternalNode;

/**
 * A reference to a node persisted in the store, by hash. `node` caches the decoded node while the bounded
 * node cache keeps it.
 */
export class NodeRef {
  readonly kind = 'ref';
  readonly hash: Uint8Array;
  node: TreeNode | undefined;
  /** Set on each read; cleared by the cache's clock hand. */
  used = false;
  /** Cache slot holding this ref, or -1. */
  slot = -1;

  constructor(hash: Uint8Array, node?: TreeNode) {
    this.hash = hash;
    this.node = node;
  }
}

/** A child pointer: nothing, a node in memory, or a persisted node by hash. */
export type Child = TreeNode | NodeRef | null;

/** Resolves persisted nodes (cache, then store). */
export interface NodeLoader {
  load(ref: NodeRef): TreeNode;
}

/** A new leaf. */
export function newLeaf(key: Uint8Array, value: Uint8Array): LeafNode {
  return { kind: 'leaf', key, value, hash: undefined };
}

/** A new internal node of generation `gen`. */
export function newInternal(
  label: Uint8Array,
  labelBits: number,
  leaf: LeafNode | null,
  left: Child,
  right: Child,
  gen: number,
): InternalNode {
  return { kind: 'internal', label, labelBits, leaf, left, right, hash: undefined, gen };
}

/** The node `child` points to (loading it if persisted), or null. */
export function deref(loader: NodeLoader, child: Child): TreeNode | null {
  if (child === null) return null;
  if (child.kind !== 'ref') return child;
  const cached = child.node;
  if (cached === undefined) return loader.load(child);
  child.used = true;
  return cached;
}

/**
 * SHA-512/256 of one buffer. The one-shot `crypto.hash` (Node >= 20.12) skips the Hash object, about
 * twice as fast for node-sized inputs, where per-call overhead dominates.
 */
function digest(data: Uint8Array): Uint8Array {
  return new Uint8Array(oneShotHash('sha512-256', data, 'buffer'));
}

/** Largest hash input assembled in the shared scratch buffer; bigger leaves get their own buffer. */
const SCRATCH_LIMIT = 64 * 1024;
let scratch = new Uint8Array(1024);
let scratchView = new DataView(scratch.buffer);

/**
 * A buffer of at least `size` bytes for assembling one hash input (hashing is synchronous, so one
 * reused buffer serves every node and spares an allocation per hash).
 */
function hashInput(size: number): [Uint8Array, DataView] {
  if (size > SCRATCH_LIMIT) {
    const own = new Uint8Array(size);
    return [own, new DataView(own.buffer)];
  }
  if (scratch.length < size) {
    scratch = new Uint8Array(Math.min(SCRATCH_LIMIT, Math.max(size, scratch.length * 2)));
    scratchView = new DataView(scratch.buffer);
  }
  return [scratch, scratchView];
}

/** Hash of a leaf (cached on the leaf). */
export function leafHash(leaf: LeafNode): Uint8Array {
  if (leaf.hash === undefined) {
    const { key, value } = leaf;
    const size = 9 + key.length + value.length;
    const [data, view] = hashInput(size);
    data[0] = PREFIX_LEAF;
    view.setUint32(1, key.length, true);
    data.set(key, 5);
    view.setUint32(5 + key.length, value.length, true);
    data.set(value, 9 + key.length);
    leaf.hash = digest(data.subarray(0, size));
  }
  return leaf.hash;
}

/** Hash of an internal node from its parts (shared by the tree and the proof verifier). */
export function internalHash(
  label: Uint8Array,
  labelBits: number,
  leaf: Uint8Array,
  left: Uint8Array,
  right: Uint8Array,
): Uint8Array {
  const size = 3 + label.length + 3 * HASH_SIZE;
  const [data] = hashInput(size);
  data[0] = PREFIX_INTERNAL;
  data[1] = labelBits & 0xff;
  data[2] = labelBits >>> 8;
  data.set(label, 3);
  let pos = 3 + label.length;
  data.set(leaf, pos);
  data.set(left, (pos += HASH_SIZE));
  data.set(right, pos + HASH_SIZE);
  return digest(data.subarray(0, size));
}

/** `child` when it is an internal node still lacking its hash. */
function dirtyInternal(child: Child): InternalNode | null {
  return child !== null && child.kind === 'internal' && child.hash === undefined ? child : null;
}

/**
 * Hash of the subtree at `child`, computing and caching the hashes of dirty nodes below it only: clean
 * subtrees are not revisited, so rehashing costs the dirty paths. Iterative (post-order over an explicit
 * stack): nested keys can make paths thousands of nodes deep.
 */
export function childHash(child: Child): Uint8Array {
  if (child === null) return EMPTY_HASH;
  if (child.kind === 'ref') return child.hash;
  if (child.kind === 'leaf') return leafHash(child);
  const stack: InternalNode[] = [];
  if (child.hash === undefined) stack.push(child);
  while (stack.length > 0) {
    const node = stack[stack.length - 1]!;
    const pending = dirtyInternal(node.left) ?? dirtyInternal(node.right);
    if (pending !== null) {
      stack.push(pending);
      continue;
    }
    node.hash = internalHash(
      node.label,
      node.labelBits,
      node.leaf === null ? EMPTY_HASH : leafHash(node.leaf),
      childHash(node.left),
      childHash(node.right),
    );
    stack.pop();
  }
  return child.hash!;
}
