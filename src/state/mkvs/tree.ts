/**
 * Lookup, insert and remove on the MKVS trie, following oasis-core's rules (`go/storage/mkvs/{lookup,
 * insert,remove}.go`) so that the same key set always yields the same shape and root hash: edges split
 * where keys diverge, a key that ends at a branch point becomes that node's `leaf`, and a removal
 * collapses any node left with a single child (merging labels).
 *
 * Updates are copy-on-write with a generation number: nodes created in the current generation are
 * changed in place (a block rewriting the same path allocates once), older nodes are copied.
 */
import { bytesEqual } from '../../codec/bytes.ts';
import { commonPrefixBits, concatBits, getBit, sliceBits } from './bits.ts';
import {
  type Child,
  deref,
  type InternalNode,
  type LeafNode,
  type NodeLoader,
  newInternal,
  newLeaf,
} from './node.ts';

/** What an update needs: a loader for persisted nodes and the generation it may change in place. */
export interface MutationContext {
  readonly loader: NodeLoader;
  readonly gen: number;
}

/** The value at `key` under `root`, or undefined. */
export function lookup(loader: NodeLoader, root: Child, key: Uint8Array): Uint8Array | undefined {
  const keyBits = key.length * 8;
  let ptr = root;
  let depth = 0;
  for (;;) {
    const node = deref(loader, ptr);
    if (node === null) return undefined;
    if (node.kind === 'leaf') return bytesEqual(node.key, key) ? node.value : undefined;
    const branch = depth + node.labelBits;
    if (keyBits === branch) {
      return node.leaf !== null && bytesEqual(node.leaf.key, key) ? node.leaf.value : undefined;
    }
    if (keyBits < branch) return undefined;
    ptr = getBit(key, branch) ? node.right : node.left;
    depth = branch;
  }
}

function writable(ctx: MutationContext, node: InternalNode): InternalNode {
  if (node.gen === ctx.gen) {
    node.hash = undefined;
    return node;
  }
  return newInternal(node.label, node.labelBits, node.leaf, node.left, node.right, ctx.gen);
}

/**
 * Marks "nothing changed". (Identity cannot tell: a node of the current generation is changed in place
 * and comes back as the same object.)
 */
const UNCHANGED = Symbol('unchanged');
type Step = Child | typeof UNCHANGED;

/** One internal node on a lookup path and the side the path leaves it by. */
interface PathStep {
  readonly node: InternalNode;
  readonly right: boolean;
}

/**
 * Rebuilds the path bottom-up with `replacement` as the new subtree under its last step (loops, not
 * recursion: a path can be thousands of nodes deep for long nested keys).
 */
function rebuildPath(ctx: MutationContext, path: PathStep[], replacement: Child): Child {
  let out = replacement;
  for (let i = path.length - 1; i >= 0; i--) {
    const { node, right } = path[i]!;
    const copy = writable(ctx, node);
    if (right) copy.right = out;
    else copy.left = out;
    out = copy;
  }
  return out;
}

/** Root after setting `key` to `value` (the same root object when nothing changes). */
export function insert(ctx: MutationContext, root: Child, key: Uint8Array, value: Uint8Array): Child {
  const path: PathStep[] = [];
  let ptr = root;
  let depth = 0;
  for (;;) {
    const step = insertStep(ctx, ptr, depth, key, value);
    if (step === UNCHANGED) return root;
    if (step !== DESCEND) return rebuildPath(ctx, path, step);
    const internal = deref(ctx.loader, ptr) as InternalNode;
    depth += internal.labelBits;
    const right = getBit(key, depth);
    path.push({ node: internal, right });
    ptr = right ? internal.right : internal.left;
  }
}

/** Marks "the key continues below this internal node". */
const DESCEND = Symbol('descend');

/** The new subtree for `key` at `ptr`, or DESCEND when the change belongs further down. */
function insertStep(
  ctx: MutationContext,
  ptr: Child,
  depth: number,
  key: Uint8Array,
  value: Uint8Array,
): Step | typeof DESCEND {
  const node = deref(ctx.loader, ptr);
  if (node === null) return newLeaf(key, value);
  const keyBits = key.length * 8;
  if (node.kind === 'leaf') return insertAtLeaf(ctx, ptr, node, depth, key, value);

  const cp = commonPrefixBits(node.label, 0, node.labelBits, key, depth, keyBits - depth);
  if (cp === node.labelBits) {
    if (keyBits !== depth + cp) return DESCEND;
    if (node.leaf !== null && bytesEqual(node.leaf.value, value)) return UNCHANGED;
    const out = writable(ctx, node);
    out.leaf = newLeaf(key, value);
    return out;
  }

  // The key leaves this node's label after `cp` bits: split the edge there.
  const prefix = sliceBits(node.label, 0, cp);
  const moved = writable(ctx, node);
  moved.label = sliceBits(node.label, cp, node.labelBits);
  moved.labelBits = node.labelBits - cp;
  const leaf = newLeaf(key, value);
  if (keyBits - depth === cp) {
    // The key ends where the edge splits: it becomes the new branch node's leaf.
    return getBit(moved.label, 0)
      ? newInternal(prefix, cp, leaf, null, moved, ctx.gen)
      : newInternal(prefix, cp, leaf, moved, null, ctx.gen);
  }
  return getBit(key, depth + cp)
    ? newInternal(prefix, cp, null, moved, leaf, ctx.gen)
    : newInternal(prefix, cp, null, leaf, moved, ctx.gen);
}

function insertAtLeaf(
  ctx: MutationContext,
  ptr: Child,
  existing: LeafNode,
  depth: number,
  key: Uint8Array,
  value: Uint8Array,
): Step {
  if (bytesEqual(existing.key, key)) {
    return bytesEqual(existing.value, value) ? UNCHANGED : newLeaf(key, value);
  }
  const keyBits = key.length * 8;
  const existingBits = existing.key.length * 8;
  const cp = commonPrefixBits(existing.key, depth, existingBits - depth, key, depth, keyBits - depth);
  const label = sliceBits(key, depth, depth + cp);
  const leaf = newLeaf(key, value);
  const branch = depth + cp;
  if (keyBits === branch) {
    // The new key is a prefix of the existing one.
    return getBit(existing.key, branch)
      ? newInternal(label, cp, leaf, null, ptr, ctx.gen)
      : newInternal(label, cp, leaf, ptr, null, ctx.gen);
  }
  if (existingBits === branch) {
    // The existing key is a prefix of the new one.
    return getBit(key, branch)
      ? newInternal(label, cp, existing, null, leaf, ctx.gen)
      : newInternal(label, cp, existing, leaf, null, ctx.gen);
  }
  return getBit(key, branch)
    ? newInternal(label, cp, null, ptr, leaf, ctx.gen)
    : newInternal(label, cp, null, leaf, ptr, ctx.gen);
}

/** Root after removing `key` (the same root object when the key is absent). */
export function remove(ctx: MutationContext, root: Child, key: Uint8Array): Child {
  const keyBits = key.length * 8;
  const path: PathStep[] = [];
  let ptr = root;
  let depth = 0;
  let replacement: Child;
  for (;;) {
    const node = deref(ctx.loader, ptr);
    if (node === null) return root;
    if (node.kind === 'leaf') {
      if (!bytesEqual(node.key, key)) return root;
      replacement = null;
      break;
    }
    const branch = depth + node.labelBits;
    if (keyBits < branch) return root;
    if (keyBits === branch) {
      if (node.leaf === null || !bytesEqual(node.leaf.key, key)) return root;
      replacement = collapse(ctx, node, null, node.left, node.right);
      break;
    }
    const right = getBit(key, branch);
    path.push({ node, right });
    ptr = right ? node.right : node.left;
    depth = branch;
  }
  // Bottom-up: put the new subtree in place, collapsing nodes left with a single child.
  for (let i = path.length - 1; i >= 0; i--) {
    const { node, right } = path[i]!;
    replacement = right
      ? collapse(ctx, node, node.leaf, node.left, replacement)
      : collapse(ctx, node, node.leaf, replacement, node.right);
  }
  return replacement;
}

/**
 * `node` with the given parts, or, when only one part is left, that part (an internal child absorbs
 * `node`'s label in front of its own).
 */
function collapse(
  ctx: MutationContext,
  node: InternalNode,
  leaf: LeafNode | null,
  left: Child,
  right: Child,
): Child {
  if (leaf !== null && left === null && right === null) return leaf;
  if (leaf === null && (left === null || right === null)) {
    const only = left ?? right;
    const child = deref(ctx.loader, only);
    if (child === null || child.kind === 'leaf') return only;
    const merged = writable(ctx, child);
    merged.label = concatBits(node.label, node.labelBits, child.label, child.labelBits);
    merged.labelBits = node.labelBits + child.labelBits;
    return merged;
  }
  const out = writable(ctx, node);
  out.leaf = leaf;
  out.left = left;
  out.right = right;
  return out;
}
