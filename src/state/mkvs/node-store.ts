/**
 * Persistent, content-addressed node storage. Each node is stored once under its hash (`nodes`), with a
 * reference count (`refs`): the number of stored parents pointing at it plus the version roots naming
 * it. Committing a version writes only nodes not already stored and bumps the counts of their children;
 * pruning a version drops its root's count and deletes whatever falls to zero, cascading down. So a node
 * lives exactly as long as some kept version reaches it, and the work per commit or prune is proportional
 * to what changed. An internal node's `leaf` is stored inside the internal node's record.
 */

import { bytesEqual } from '../../codec/bytes.ts';
import { EMPTY_HASH } from '../../crypto/hash.ts';
import { asKey, type BinaryDb } from '../../storage/lmdb.ts';
import { decodeNode, encodeNode } from './codec.ts';
import { MkvsErrorCode, mkvsError } from './errors.ts';
import { type Child, childHash, FROZEN, type NodeLoader, NodeRef, type TreeNode } from './node.ts';
import type { NodeCache } from './node-cache.ts';

function readCount(buf: Buffer | undefined): number {
  return buf === undefined ? 0 : buf.readUInt32LE(0);
}

function countBytes(n: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32LE(n, 0);
  return out;
}

/** Loads nodes through the cache; persists and releases trees inside the caller's write transaction. */
export class NodeStore implements NodeLoader {
  readonly #nodes: BinaryDb;
  readonly #refs: BinaryDb;
  readonly #cache: NodeCache;

  constructor(nodes: BinaryDb, refs: BinaryDb, cache: NodeCache) {
    this.#nodes = nodes;
    this.#refs = refs;
    this.#cache = cache;
  }

  load(ref: NodeRef): TreeNode {
    const data = this.#nodes.getBinary(asKey(ref.hash));
    if (data === undefined) {
      throw mkvsError(MkvsErrorCode.corrupt, `node ${Buffer.from(ref.hash).toString('hex')} is missing`);
    }
    const node = decodeNode(new Uint8Array(data), 'full');
    node.hash = ref.hash;
    ref.node = node;
    this.#cache.admit(ref);
    return node;
  }

  /**
   * Within a write transaction: stores every node of the tree at `root` not stored yet and counts one
   * reference to the root. Hashes must be computed (`childHash(root)`); the in-memory tree is untouched.
   */
  persist(root: Child): void {
    if (root === null) return;
    const deltas = new Map<string, { key: Buffer; delta: number }>();
    const addRef = (hash: Uint8Array): void => {
      const id = Buffer.from(hash).toString('latin1');
      const entry = deltas.get(id);
      if (entry === undefined) deltas.set(id, { key: asKey(hash), delta: 1 });
      else entry.delta++;
    };
    const store = (child: Child): void => {
      if (child === null || child.kind === 'ref') return;
      const hash = childHash(child);
      if (this.#refs.getBinary(asKey(hash)) !== undefined) return;
      if (child.kind === 'internal') {
        for (const sub of [child.left, child.right]) {
          if (sub === null) continue;
          store(sub);
          addRef(childHash(sub));
        }
      }
      this.#nodes.putSync(asKey(hash), asKey(encodeNode(child)));
      this.#refs.putSync(asKey(hash), countBytes(0));
    };
    store(root);
    addRef(childHash(root));
    for (const { key, delta } of deltas.values()) {
      this.#refs.putSync(key, countBytes(readCount(this.#refs.getBinary(key)) + delta));
    }
  }

  /**
   * Within a write transaction: drops one reference to the tree with root hash `rootHash`, deleting every
   * node no longer referenced.
   */
  release(rootHash: Uint8Array): void {
    if (bytesEqual(rootHash, EMPTY_HASH)) return;
    const pending: Uint8Array[] = [rootHash];
    while (pending.length > 0) {
      const key = asKey(pending.pop()!);
      const count = readCount(this.#refs.getBinary(key));
      if (count > 1) {
        this.#refs.putSync(key, countBytes(count - 1));
        continue;
      }
      const data = this.#nodes.getBinary(key);
      this.#refs.removeSync(key);
      this.#nodes.removeSync(key);
      if (data === undefined) continue;
      const node = decodeNode(new Uint8Array(data), 'full');
      if (node.kind === 'internal') {
        for (const sub of [node.left, node.right])
          if (sub !== null && sub.kind === 'ref') pending.push(sub.hash);
      }
    }
  }

  /** A cached reference to `node` (already stored), so later reads reuse the decoded node. */
  cachedRef(node: TreeNode): NodeRef {
    const ref = new NodeRef(childHash(node), node);
    this.#cache.admit(ref);
    return ref;
  }

  /**
   * Replaces in-memory children of the freshly persisted tree at `root` by cached refs, so the committed
   * tree is held only through the bounded cache. Returns the new root pointer.
   */
  detach(root: Child): Child {
    if (root === null || root.kind === 'ref') return root;
    if (root.kind === 'internal') {
      root.gen = FROZEN;
      root.left = this.detach(root.left);
      root.right = this.detach(root.right);
    }
    return this.cachedRef(root);
  }

  /**
   * Checks the store against the kept roots: every reachable node present and decodable, every count
   * equal to its number of stored parents plus roots, no unreachable node left. Returns the problems found
   * (empty when consistent). Reads everything: for tests and offline checks.
   */
  audit(roots: Uint8Array[]): string[] {
    const problems: string[] = [];
    const expected = new Map<string, number>();
    const pending: Uint8Array[] = [];
    const reference = (hash: Uint8Array): void => {
      const id = Buffer.from(hash).toString('hex');
      const seen = expected.get(id);
      expected.set(id, (seen ?? 0) + 1);
      if (seen === undefined) pending.push(hash);
    };
    for (const root of roots) if (!bytesEqual(root, EMPTY_HASH)) reference(root);
    while (pending.length > 0) {
      const hash = pending.pop()!;
      const data = this.#nodes.getBinary(asKey(hash));
      if (data === undefined) {
        problems.push(`missing node ${Buffer.from(hash).toString('hex')}`);
        continue;
      }
      const node = decodeNode(new Uint8Array(data), 'full');
      if (!bytesEqual(childHash(node), hash))
        problems.push(`node ${Buffer.from(hash).toString('hex')} hashes wrong`);
      if (node.kind === 'internal') {
        for (const sub of [node.left, node.right])
          if (sub !== null && sub.kind === 'ref') reference(sub.hash);
      }
    }
    for (const { key, value } of this.#refs.getRange({})) {
      const id = key.toString('hex');
      const want = expected.get(id);
      if (want === undefined) problems.push(`unreachable node ${id}`);
      else if (readCount(value) !== want)
        problems.push(`node ${id} counts ${readCount(value)}, expected ${want}`);
      expected.delete(id);
    }
    for (const id of expected.keys()) problems.push(`node ${id} has no count`);
    if (this.#nodes.getKeysCount() !== this.#refs.getKeysCount())
      problems.push('node and count tables differ in size');
    return problems;
  }
}
