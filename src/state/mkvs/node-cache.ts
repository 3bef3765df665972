/**
 * Bounded cache of decoded nodes. Entries are the `NodeRef`s that hold them, so a hit costs no hashing
 * or map lookup (the decoded node sits on the ref); eviction is CLOCK (second chance): a ref used since
 * it was last considered is moved to the back once, otherwise its node is dropped.
 */
import type { NodeRef } from './node.ts';

/** Default number of cached nodes (a few hundred bytes each). */
export const DEFAULT_CACHED_NODES = 200_000;

/** Keeps at most `capacity` refs' decoded nodes in memory. */
export class NodeCache {
  readonly #capacity: number;
  readonly #refs = new Set<NodeRef>();

  constructor(capacity = DEFAULT_CACHED_NODES) {
    this.#capacity = Math.max(1, capacity);
  }

  /** Number of refs currently holding a node. */
  get size(): number {
    return this.#refs.size;
  }

  /** Registers `ref` (whose `node` was just set), evicting others if full. */
  admit(ref: NodeRef): void {
    if (this.#refs.has(ref)) return;
    while (this.#refs.size >= this.#capacity) this.#evictOne();
    this.#refs.add(ref);
  }

  #evictOne(): void {
    for (const ref of this.#refs) {
      this.#refs.delete(ref);
      if (ref.used) {
        ref.used = false;
        this.#refs.add(ref);
        continue;
      }
      ref.node = undefined;
      return;
    }
  }

  /** Drops every cached node. */
  clear(): void {
    for (const ref of this.#refs) ref.node = undefined;
    this.#refs.clear();
  }
}
