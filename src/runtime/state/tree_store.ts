/**
 * Runtime state as MKVS trees addressed by root hash (the same trie and node hashing as src/state/mkvs, so
 * a state root here is the root oasis-core would compute). Trees share structure: applying a write log to
 * a root copies only the changed paths, so keeping the last few dozen roots costs little. Both sides of
 * the host protocol use it: the runtime executes on it, the host replays the runtime's write log on its own
 * copy to check the claimed state root and to hand state back to a restarted runtime. Where kept trees
 * live is a `TreeBacking`: memory only (here) or LMDB (lmdb_tree_store.ts).
 *
 * Two kinds of kept root: the working set (the newest `maxRoots` applied, besides pinned ones), held in
 * memory and dropped oldest first; and retained roots (a node's finalized rounds, which its history still
 * lists), which the backing keeps until they are released. A retained root leaves memory with the working
 * set but stays readable from the backing, so keeping every round's state costs disk, not memory.
 */
import { bytesEqual, toHex } from '../../codec/bytes.ts';
import { EMPTY_HASH } from '../../crypto/hash.ts';
import type { StateReader } from '../../state/api.ts';
import { iterateEntries } from '../../state/mkvs/iterate.ts';
import { type Child, childHash, type NodeLoader } from '../../state/mkvs/node.ts';
import { buildRangeProof, type RangeProof } from '../../state/mkvs/range_proof.ts';
import { insert, lookup, remove } from '../../state/mkvs/tree.ts';
import { RhpErrorCode, rhpError } from '../protocol/errors.ts';
import type { WriteLogEntry } from '../protocol/types.ts';
import type { RuntimeStateStore } from './api.ts';

/** Default number of roots kept (besides pinned ones). */
export const DEFAULT_KEPT_ROOTS = 64;

/** Where kept trees live. */
export interface TreeBacking {
  /** Loads nodes the trees refer to by hash. */
  readonly loader: NodeLoader;
  /** Roots kept from earlier runs (oldest first), and which of them are pinned. */
  restored(): Array<{ hash: Uint8Array; tree: Child; pinned: boolean }>;
  /** A new root is kept: store it as needed and return the tree to hold for it. */
  keep(hash: Uint8Array, tree: Child): Child;
  /** A kept root is dropped. */
  forget(hash: Uint8Array): void;
  /** A kept root is pinned. */
  pin(hash: Uint8Array): void;
  /** A kept root is retained: it survives leaving the working set, until released. */
  retain(hash: Uint8Array, tree: Child): void;
  /** A retained root is no longer retained (it is then kept only while in the working set). */
  release(hash: Uint8Array): void;
  /** Whether `hash` is retained. */
  isRetained(hash: Uint8Array): boolean;
  /** The tree of retained root `hash` (undefined when it is not retained). */
  retained(hash: Uint8Array): Child | undefined;
}

/** Trees held in memory only: there is never a persisted node to load; retained trees stay in memory. */
class MemoryBacking implements TreeBacking {
  readonly #retained = new Map<string, Child>();
  readonly loader = {
    load(): never {
      throw new Error('in-memory tree has no persisted nodes');
    },
  };
  restored = () => [];
  keep = (_hash: Uint8Array, tree: Child) => tree;
  forget = () => {};
  pin = () => {};
  retain = (hash: Uint8Array, tree: Child) => void this.#retained.set(toHex(hash), tree);
  release = (hash: Uint8Array) => void this.#retained.delete(toHex(hash));
  isRetained = (hash: Uint8Array) => this.#retained.has(toHex(hash));
  retained = (hash: Uint8Array) => this.#retained.get(toHex(hash));
}

/** Hash-addressed, structure-sharing MKVS trees with a bounded set of kept roots. */
export class TreeStore implements RuntimeStateStore {
  readonly #backing: TreeBacking;
  readonly #roots = new Map<string, Child>();
  readonly #pinned = new Set<string>();
  readonly #maxRoots: number;
  #gen = 1;
  /** Where the last `page` stopped, to continue from there. */
  #cursor: { rootId: string; last: Uint8Array; entries: Iterator<[Uint8Array, Uint8Array]> } | null = null;

  constructor(backing: TreeBacking, maxRoots = DEFAULT_KEPT_ROOTS) {
    this.#backing = backing;
    this.#maxRoots = maxRoots;
    this.#roots.set(toHex(EMPTY_HASH), null);
    this.#pinned.add(toHex(EMPTY_HASH));
    for (const { hash, tree, pinned } of backing.restored()) {
      this.#roots.set(toHex(hash), tree);
      if (pinned) this.#pinned.add(toHex(hash));
    }
  }

  /** True when the tree of `root` is held (in the working set, pinned or retained). */
  has(root: Uint8Array): boolean {
    return this.#roots.has(toHex(root)) || this.#backing.isRetained(root);
  }

  /**
   * Keeps `root` beyond the working set until `release` (a finalized round's state the node serves
   * history for); false when `root` is not held (nothing to retain).
   */
  retain(root: Uint8Array): boolean {
    const id = toHex(root);
    if (!this.#roots.has(id)) return this.#backing.isRetained(root);
    if (!this.#backing.isRetained(root)) this.#backing.retain(root, this.#roots.get(id)!);
    return true;
  }

  /** Ends the retention of `root`: it is dropped now unless it is still in the working set or pinned. */
  release(root: Uint8Array): void {
    if (!this.#backing.isRetained(root)) return;
    this.#backing.release(root);
    if (!this.#roots.has(toHex(root))) this.#backing.forget(root);
  }

  /** Keeps `root` regardless of the retention limit (genesis). */
  pin(root: Uint8Array): void {
    const id = toHex(root);
    if (!this.#roots.has(id) || this.#pinned.has(id)) return;
    this.#pinned.add(id);
    this.#backing.pin(root);
  }

  /** Read access to the tree of `root`; throws a state-unavailable error if it is not held. */
  reader(root: Uint8Array): StateReader {
    const tree = this.#tree(root);
    const loader = this.#backing.loader;
    return {
      get: (key) => lookup(loader, tree, key),
      entries: (prefix) => iterateEntries(loader, tree, prefix),
    };
  }

  /** Applies a write log on top of `root`, keeps the result and returns its root hash. */
  apply(root: Uint8Array, writes: Iterable<WriteLogEntry>): Uint8Array {
    let tree = this.#tree(root);
    const ctx = { loader: this.#backing.loader, gen: ++this.#gen };
    for (const [key, value] of writes) {
      tree = value === null ? remove(ctx, tree, key) : insert(ctx, tree, key, value);
    }
    // Later applies use a newer generation, so this tree is never changed in place again.
    this.#gen++;
    const hash = childHash(tree);
    const id = toHex(hash);
    // Retained and out of the working set: kept already (its stored tree is the one to read).
    if (!this.#roots.has(id) && this.#backing.isRetained(hash)) return hash;
    if (this.#roots.has(id)) {
      // Already kept: refresh its place in the retention order.
      const kept = this.#roots.get(id)!;
      this.#roots.delete(id);
      this.#roots.set(id, kept);
      return hash;
    }
    this.#roots.set(id, this.#backing.keep(hash, tree));
    this.#evict(id);
    return hash;
  }

  /**
   * Up to `limit` entries of `root` in ascending key order, strictly after `after` when given. Paging
   * through a root in order continues where the last page stopped (trees never change), so a full walk
   * costs one pass rather than one pass per page.
   */
  page(root: Uint8Array, after: Uint8Array | undefined, limit: number): Array<[Uint8Array, Uint8Array]> {
    const rootId = toHex(root);
    const cursor = this.#cursor;
    let entries: Iterator<[Uint8Array, Uint8Array]>;
    if (
      cursor !== null &&
      after !== undefined &&
      cursor.rootId === rootId &&
      bytesEqual(cursor.last, after)
    ) {
      entries = cursor.entries;
    } else {
      entries = iterateEntries(this.#backing.loader, this.#tree(root), new Uint8Array(0));
    }
    const out: Array<[Uint8Array, Uint8Array]> = [];
    while (out.length < limit) {
      const next = entries.next();
      if (next.done) break;
      const [key, value] = next.value;
      if (after !== undefined && Buffer.compare(key, after) <= 0) continue;
      out.push([key, value]);
    }
    this.#cursor = out.length === limit ? { rootId, last: out[out.length - 1]![0], entries } : null;
    return out;
  }

  /**
   * A proof of the keys of `root` from `start` on, about `targetBytes` of them: a checkpoint chunk of this
   * runtime state (throws a state-unavailable error if `root` is not held).
   */
  proveRange(root: Uint8Array, start: Uint8Array | undefined, targetBytes: number): RangeProof {
    return buildRangeProof(this.#backing.loader, this.#tree(root), start, targetBytes);
  }

  #tree(root: Uint8Array): Child {
    const id = toHex(root);
    // An empty tree is `null`: tell it from a root not held.
    const tree = this.#roots.has(id) ? this.#roots.get(id)! : this.#backing.retained(root);
    if (tree === undefined) {
      throw rhpError(RhpErrorCode.stateUnavailable, `state root ${toHex(root)} is not available`);
    }
    return tree;
  }

  #evict(newest: string): void {
    if (this.#roots.size <= this.#maxRoots + this.#pinned.size) return;
    for (const old of this.#roots.keys()) {
      if (this.#pinned.has(old) || old === newest) continue;
      this.#roots.delete(old);
      const hash = Buffer.from(old, 'hex');
      // A retained root only leaves memory.
      if (!this.#backing.isRetained(hash)) this.#backing.forget(hash);
      if (this.#roots.size <= this.#maxRoots + this.#pinned.size) break;
    }
  }
}

/** Trees in memory only: the runtime's working store, and the host's default. */
export class MemoryTreeStore extends TreeStore {
  constructor(maxRoots = DEFAULT_KEPT_ROOTS) {
    super(new MemoryBacking(), maxRoots);
  }
}

/** The root of a tree holding exactly `entries` (kept nowhere): an IO tree's root, or a genesis state's. */
export function rootOfEntries(entries: Iterable<WriteLogEntry>): Uint8Array {
  return new MemoryTreeStore(1).apply(EMPTY_HASH, entries);
}
