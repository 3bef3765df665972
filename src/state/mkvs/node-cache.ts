/**
 * Bounded cache of decoded nodes. Entries are the `NodeRef`s that hold them, so a hit costs no hashing
 * or map lookup (the decoded node sits on the ref). Eviction is CLOCK (second chance) over a fixed ring
 * of slots: the hand clears the `used` bit of refs read since it last passed and evicts the first ref
 * not read, so admitting a node costs O(1) amortized.
 */
import type { NodeRef } from './node.ts';

/** Default number of cached nodes (a few hundred bytes each). */
export const DEFAULT_CACHED_NODES = 250_000;

/** Keeps at most `capacity` refs' decoded nodes in memory. */
export class NodeCache {
  readonly #slots: Array<NodeRef | undefined>;
  #hand = 0;
  #size = 0;

  constructor(capacity = DEFAULT_CACHED_NODES) {
    this.#slots = new Array<NodeRef | undefined>(Math.max(1, capacity)).fill(undefined);
  }

  /** Number of refs currently holding a node. */
  get size(): number {
    return this.#size;
  }

  /** Registers `ref` (whose `node` was just set), evicting another ref's node if full. */
  admit(ref: NodeRef): void {
    if (ref.slot >= 0) return;
    const slots = this.#slots;
    for (;;) {
      const current = slots[this.#hand];
      if (current === undefined) break;
      if (!current.used) {
        current.node = undefined;
        current.slot = -1;
        this.#size--;
        break;
      }
      current.used = false;
      this.#hand = (this.#hand + 1) % slots.length;
    }
    slots[this.#hand] = ref;
    ref.slot = this.#hand;
    this.#size++;
    this.#hand = (this.#hand + 1) % slots.length;
  }

  /** Drops every cached node. */
  clear(): void {
    for (const ref of this.#slots) {
      if (ref === undefined) continue;
      ref.node = undefined;
      ref.slot = -1;
    }
    this.#slots.fill(undefined);
    this.#size = 0;
  }
}
