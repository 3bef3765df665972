/**
 * Ordered iteration over the MKVS trie. In-order traversal (a node's own leaf, then left, then right)
 * yields keys in ascending byte order, which consensus relies on. A prefix first steers the walk down
 * to the one subtree that can hold matching keys.
 */
import { commonPrefixBits, getBit, hasPrefix } from './bits.ts';
import { type Child, deref, type NodeLoader } from './node.ts';

/** The subtree of `root` holding every key that starts with `prefix` (maybe more, filtered later). */
function seekPrefix(loader: NodeLoader, root: Child, prefix: Uint8Array): Child {
  const prefixBits = prefix.length * 8;
  let ptr = root;
  let depth = 0;
  for (;;) {
    const node = deref(loader, ptr);
    if (node === null || node.kind === 'leaf') return ptr;
    const compared = Math.min(node.labelBits, prefixBits - depth);
    if (commonPrefixBits(node.label, 0, compared, prefix, depth, compared) < compared) return null;
    const branch = depth + node.labelBits;
    if (branch >= prefixBits) return ptr;
    ptr = getBit(prefix, branch) ? node.right : node.left;
    depth = branch;
  }
}

/** Entries under `root` whose key starts with `prefix`, in ascending key order. */
export function* iterateEntries(
  loader: NodeLoader,
  root: Child,
  prefix: Uint8Array,
): Generator<[Uint8Array, Uint8Array]> {
  const start = seekPrefix(loader, root, prefix);
  const stack: Child[] = [start];
  while (stack.length > 0) {
    const node = deref(loader, stack.pop()!);
    if (node === null) continue;
    if (node.kind === 'leaf') {
      if (hasPrefix(node.key, prefix)) yield [node.key, node.value];
      continue;
    }
    stack.push(node.right, node.left);
    if (node.leaf !== null && hasPrefix(node.leaf.key, prefix)) yield [node.leaf.key, node.leaf.value];
  }
}
