/**
 * Persistent, content-addressed node storage: one record per node under its hash, `LE32 count || node`
 * (oasis-core's full node encoding). The count is the number of stored parents pointing at the node plus
 * the version roots naming it. Committing a version writes only nodes not already stored (count 1: in
 * one tree every node has exactly one parent) and bumps the count of each already-stored node a new
 * parent points at; pruning a version drops its root's count and deletes whatever falls to zero,
 * cascading down. So a node lives exactly as long as some kept version reaches it, and the work per
 * commit or prune is proportional to what changed. An internal node's `leaf` lives inside its record.
 */

import { bytesEqual } from '../../codec/bytes.ts';
import { EMPTY_HASH, HASH_SIZE } from '../../crypto/hash.ts';
import { asKey, type BinaryDb } from '../../storage/lmdb.ts';
import { decodeNode, encodedNodeSize, writeNode } from './codec.ts';
import { MkvsErrorCode, mkvsError } from './errors.ts';
import {
  type Child,
  childHash,
  FROZEN,
  type NodeLoader,
  NodeRef,
  PREFIX_INTERNAL,
  type TreeNode,
} from './node.ts';
import type { NodeCache } from './node-cache.ts';

/** Bytes of the reference count in front of each record. */
const COUNT_SIZE = 4;
/** Largest record framed in the reused write buffer; bigger ones get their own. */
const RECORD_SCRATCH_LIMIT = 64 * 1024;

function hex(hash: Uint8Array): string {
  return Buffer.from(hash).toString('hex');
}

/** The node of a record (copied: lmdb-js reuses `getBinaryFast` buffers; their `length` is the value's). */
function recordNode(record: Buffer): TreeNode {
  return decodeNode(new Uint8Array(record.subarray(COUNT_SIZE, record.length)), 'full');
}

/** Loads nodes through the cache; persists and releases trees inside the caller's write transaction. */
export class NodeStore implements NodeLoader {
  readonly #nodes: BinaryDb;
  readonly #cache: NodeCache;
  #scratch = Buffer.alloc(4096);
  #scratchView = new DataView(this.#scratch.buffer, this.#scratch.byteOffset, this.#scratch.byteLength);

  constructor(nodes: BinaryDb, cache: NodeCache) {
    this.#nodes = nodes;
    this.#cache = cache;
  }

  load(ref: NodeRef): TreeNode {
    const record = this.#nodes.getBinaryFast(asKey(ref.hash));
    if (record === undefined) throw mkvsError(MkvsErrorCode.corrupt, `node ${hex(ref.hash)} is missing`);
    const node = recordNode(record);
    node.hash = ref.hash;
    ref.node = node;
    this.#cache.admit(ref);
    return node;
  }

  /** Within a write transaction: adds `delta` to the count of the stored node `hash`; false if absent. */
  #adjust(hash: Uint8Array, delta: number): boolean {
    const key = asKey(hash);
    const record = this.#nodes.getBinaryFast(key);
    if (record === undefined) return false;
    const count = record.readUInt32LE(0);
    const [out] = this.#recordBuffer(record.length);
    out.set(record.subarray(0, record.length));
    out.writeUInt32LE(count + delta, 0);
    this.#nodes.putSync(key, out.subarray(0, record.length));
    return true;
  }

  /**
   * A reused buffer of at least `size` bytes to frame one record: `putSync` copies the value into the
   * transaction at once, so one buffer serves every write of a commit.
   */
  #recordBuffer(size: number): [Buffer, DataView] {
    if (size > RECORD_SCRATCH_LIMIT) {
      const own = Buffer.alloc(size);
      return [own, new DataView(own.buffer, own.byteOffset, own.byteLength)];
    }
    if (this.#scratch.length < size) {
      this.#scratch = Buffer.alloc(Math.min(RECORD_SCRATCH_LIMIT, Math.max(size, this.#scratch.length * 2)));
      this.#scratchView = new DataView(
        this.#scratch.buffer,
        this.#scratch.byteOffset,
        this.#scratch.byteLength,
      );
    }
    return [this.#scratch, this.#scratchView];
  }

  /**
   * Within a write transaction: stores every node of the tree at `root` not stored yet and counts one
   * reference to the root. Hashes must be computed (`childHash(root)`); the in-memory tree is untouched.
   */
  persist(root: Child): void {
    if (root === null) return;
    const pending: Array<TreeNode | NodeRef> = [root];
    while (pending.length > 0) {
      const child = pending.pop()!;
      const hash = childHash(child);
      // Already stored (its whole subtree with it): one more reference.
      if (this.#adjust(hash, 1)) continue;
      if (child.kind === 'ref') throw mkvsError(MkvsErrorCode.corrupt, `node ${hex(hash)} is missing`);
      if (child.kind === 'internal') {
        if (child.left !== null) pending.push(child.left);
        if (child.right !== null) pending.push(child.right);
      }
      const size = COUNT_SIZE + encodedNodeSize(child);
      const [out, view] = this.#recordBuffer(size);
      view.setUint32(0, 1, true);
      writeNode(out, view, COUNT_SIZE, child);
      this.#nodes.putSync(asKey(hash), out.subarray(0, size));
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
      const hash = pending.pop()!;
      const key = asKey(hash);
      const record = this.#nodes.getBinaryFast(key);
      if (record === undefined) throw mkvsError(MkvsErrorCode.corrupt, `node ${hex(hash)} is missing`);
      const count = record.readUInt32LE(0);
      if (count > 1) {
        const updated = Buffer.from(record.subarray(0, record.length));
        updated.writeUInt32LE(count - 1, 0);
        this.#nodes.putSync(key, updated);
        continue;
      }
      // A full internal record ends with its left and right child hashes.
      if (record[COUNT_SIZE] === PREFIX_INTERNAL) {
        const end = record.length;
        for (const child of [
          record.subarray(end - 2 * HASH_SIZE, end - HASH_SIZE),
          record.subarray(end - HASH_SIZE, end),
        ]) {
          if (!bytesEqual(child, EMPTY_HASH)) pending.push(new Uint8Array(child));
        }
      }
      this.#nodes.removeSync(key);
    }
  }

  /**
   * Replaces in-memory children of the freshly persisted tree at `root` by cached refs, so the committed
   * tree is held only through the bounded cache, and freezes its nodes. Returns the new root pointer.
   */
  detach(root: Child): Child {
    if (root === null || root.kind === 'ref') return root;
    const pending: TreeNode[] = [root];
    const toRef = (child: Child): Child => {
      if (child === null || child.kind === 'ref') return child;
      pending.push(child);
      return this.#cachedRef(child);
    };
    while (pending.length > 0) {
      const node = pending.pop()!;
      if (node.kind !== 'internal') continue;
      node.gen = FROZEN;
      node.left = toRef(node.left);
      node.right = toRef(node.right);
    }
    return this.#cachedRef(root);
  }

  #cachedRef(node: TreeNode): NodeRef {
    const ref = new NodeRef(childHash(node), node);
    this.#cache.admit(ref);
    return ref;
  }

  /**
   * Checks the store against the kept roots: every reachable node present and hashing to its key, every
   * count equal to its number of stored parents plus roots, no unreachable node left. Returns the
   * problems found (empty when consistent). Reads everything: for tests and offline checks.
   */
  audit(roots: Uint8Array[]): string[] {
    const problems: string[] = [];
    const expected = new Map<string, number>();
    const pending: Uint8Array[] = [];
    const reference = (hash: Uint8Array): void => {
      const id = hex(hash);
      const seen = expected.get(id);
      expected.set(id, (seen ?? 0) + 1);
      if (seen === undefined) pending.push(hash);
    };
    for (const root of roots) if (!bytesEqual(root, EMPTY_HASH)) reference(root);
    while (pending.length > 0) {
      const hash = pending.pop()!;
      const record = this.#nodes.getBinary(asKey(hash));
      if (record === undefined) {
        problems.push(`missing node ${hex(hash)}`);
        continue;
      }
      const node = recordNode(record);
      if (!bytesEqual(childHash(node), hash)) problems.push(`node ${hex(hash)} hashes wrong`);
      if (node.kind === 'internal') {
        for (const sub of [node.left, node.right])
          if (sub !== null && sub.kind === 'ref') reference(sub.hash);
      }
    }
    for (const { key, value } of this.#nodes.getRange({})) {
      const id = key.toString('hex');
      const want = expected.get(id);
      const count = value.readUInt32LE(0);
      if (want === undefined) problems.push(`unreachable node ${id}`);
      else if (count !== want) problems.push(`node ${id} counts ${count}, expected ${want}`);
      expected.delete(id);
    }
    return problems;
  }
}
