/**
 * Ordered iteration over the MKVS trie. In-order traversal (a node's own leaf, then left, then right)
 * yields keys in ascending byte order, which consensus relies on. Iteration starts with a seek: one walk
 * down the path of the start key stacks the subtrees lying wholly after it, so starting anywhere costs
 * one path, not a scan.
 */
import { commonPrefixBits, getBit, hasPrefix } from './bits.ts';
import { type Child, deref, type NodeLoader } from './node.ts';

/** Subtrees holding exactly the keys >= `start`, stacked so that popping yields them in order. */
function seek(loader: NodeLoader, root: Child, start: Uint8Array): Child[] {
  const stack: Child[] = [];
  const startBits = start.length * 8;
  let ptr = root;
  let depth = 0;
  for (;;) {
    const node = deref(loader, ptr);
    if (node === null) return stack;
    if (node.kind === 'leaf') {
      if (Buffer.compare(node.key, start) >= 0) stack.push(ptr);
      return stack;
    }
    const rest = startBits - depth;
    const compared = Math.min(node.labelBits, rest);
    const cp = commonPrefixBits(node.label, 0, compared, start, depth, compared);
    if (cp < compared) {
      // The path leaves the start key here: the whole subtree is after it or before it.
      if (getBit(node.label, cp)) stack.push(ptr);
      return stack;
    }
    if (rest <= node.labelBits) {
      // The start key is a prefix of every key below (or equals this node's leaf).
      stack.push(ptr);
      return stack;
    }
    // The start key continues below; this node's own leaf is a proper prefix of it, so before it.
    const branch = depth + node.labelBits;
    if (getBit(start, branch)) {
      ptr = node.right;
    } else {
      stack.push(node.right);
      ptr = node.left;
    }
    depth = branch;
  }
}

/**
 * Entries under `root` whose key starts with `prefix`, in ascending key order, from the first key >=
 * `from` (default: the prefix itself). For "strictly after k", pass `from` = k || 0x00.
 */
export function* iterateEntries(
  loader: NodeLoader,
  root: Child,
  prefix: Uint8Array,
  from?: Uint8Array,
): Generator<[Uint8Array, Uint8Array]> {
  const start = from === undefined || Buffer.compare(from, prefix) < 0 ? prefix : from;
  const stack = seek(loader, root, start);
  while (stack.length > 0) {
    const node = deref(loader, stack.pop()!);
    if (node === null) continue;
    if (node.kind === 'leaf') {
      // Keys only grow from here: the first one outside the prefix ends the range.
      if (!hasPrefix(node.key, prefix)) return;
      yield [node.key, node.value];
      continue;
    }
    stack.push(node.right, node.left);
    if (node.leaf !== null) {
      if (!hasPrefix(node.leaf.key, prefix)) return;
      yield [node.leaf.key, node.leaf.value];
    }
  }
}
