/**
 * Runtime state held in memory as MKVS trees (the same trie and node hashing as src/state/mkvs, so a
 * state root here is the root oasis-core would compute). Trees share structure: applying a write log to
 * a root copies only the changed paths, so keeping the last few dozen roots costs little. Both sides of
 * the host protocol use it: the runtime executes on it, the host replays the runtime's write log on its own
 * copy to check the claimed state root and to hand state back to a restarted runtime.
 */
import { bytesEqual, toHex } from '../../codec/bytes.ts';
import { EMPTY_HASH } from '../../crypto/hash.ts';
import type { StateReader } from '../../state/api.ts';
import { iterateEntries } from '../../state/mkvs/iterate.ts';
import { type Child, childHash, type NodeLoader } from '../../state/mkvs/node.ts';
import { insert, lookup, remove } from '../../state/mkvs/tree.ts';
import { RhpErrorCode, rhpError } from '../protocol/errors.ts';
import type { WriteLogEntry } from '../protocol/types.ts';
import type { RuntimeStateStore } from './api.ts';

/** Trees here live wholly in memory: there is never a persisted node to load. */
const IN_MEMORY: NodeLoader = {
  load() {
    throw new Error('in-memory tree has no persisted nodes');
  },
};

/** Default number of roots kept (besides pinned ones). */
export const DEFAULT_KEPT_ROOTS = 64;

/** Hash-addressed, structure-sharing in-memory MKVS trees. */
export class MemoryTreeStore implements RuntimeStateStore {
  readonly #roots = new Map<string, Child>();
  readonly #pinned = new Set<string>();
  readonly #maxRoots: number;
  #gen = 1;
  /** Where the last `page` stopped, to continue from there. */
  #cursor: { rootId: string; last: Uint8Array; entries: Iterator<[Uint8Array, Uint8Array]> } | null = null;

  constructor(maxRoots = DEFAULT_KEPT_ROOTS) {
    this.#maxRoots = maxRoots;
    this.#roots.set(toHex(EMPTY_HASH), null);
    this.#pinned.add(toHex(EMPTY_HASH));
  }

  /** True when the tree of `root` is held. */
  has(root: Uint8Array): boolean {
    return this.#roots.has(toHex(root));
  }

  /** Keeps `root` regardless of the retention limit (genesis). */
  pin(root: Uint8Array): void {
    if (this.has(root)) this.#pinned.add(toHex(root));
  }

  /** Read access to the tree of `root`; throws a state-unavailable error if it is not held. */
  reader(root: Uint8Array): StateReader {
    const tree = this.#tree(root);
    return {
      get: (key) => lookup(IN_MEMORY, tree, key),
      entries: (prefix) => iterateEntries(IN_MEMORY, tree, prefix),
    };
  }

  /** Applies a write log on top of `root`, keeps the result and returns its root hash. */
  apply(root: Uint8Array, writes: Iterable<WriteLogEntry>): Uint8Array {
    let tree = this.#tree(root);
    const ctx = { loader: IN_MEMORY, gen: ++this.#gen };
    for (const [key, value] of writes) {
      tree = value === null ? remove(ctx, tree, key) : insert(ctx, tree, key, value);
    }
    // Later applies use a newer generation, so this tree is never changed in place again.
    this.#gen++;
    return this.#keep(tree);
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
      entries = iterateEntries(IN_MEMORY, this.#tree(root), new Uint8Array(0));
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

  #tree(root: Uint8Array): Child {
    const tree = this.#roots.get(toHex(root));
    if (tree === undefined) {
      throw rhpError(RhpErrorCode.stateUnavailable, `state root ${toHex(root)} is not available`);
    }
    return tree;
  }

  #keep(tree: Child): Uint8Array {
    const hash = childHash(tree);
    const id = toHex(hash);
    this.#roots.delete(id);
    this.#roots.set(id, tree);
    if (this.#roots.size > this.#maxRoots + this.#pinned.size) {
      for (const old of this.#roots.keys()) {
        if (this.#pinned.has(old) || old === id) continue;
        this.#roots.delete(old);
        if (this.#roots.size <= this.#maxRoots + this.#pinned.size) break;
      }
    }
    return hash;
  }
}
