/**
 * What the host needs from the store holding a runtime's state: roots addressed by hash, write logs applied
 * on top of a root, and pages of a root's entries to hand to a restarted runtime. The in-memory store
 * implements it; a persistent one (MKVS over LMDB, versioned by round) can replace it without touching the
 * host.
 */
import type { StateReader } from '../../state/api.ts';
import type { WriteLogEntry } from '../protocol/types.ts';

/** Hash-addressed runtime state trees. */
export interface RuntimeStateStore {
  /** True when the tree of `root` is held. */
  has(root: Uint8Array): boolean;
  /** Keeps `root` for good (genesis). */
  pin(root: Uint8Array): void;
  /** Read access to `root`; throws a state-unavailable error if it is not held. */
  reader(root: Uint8Array): StateReader;
  /** Applies a write log on top of `root`, keeps the result and returns its root hash. */
  apply(root: Uint8Array, writes: Iterable<WriteLogEntry>): Uint8Array;
  /** Up to `limit` entries of `root` in ascending key order, strictly after `after` when given. */
  page(root: Uint8Array, after: Uint8Array | undefined, limit: number): Array<[Uint8Array, Uint8Array]>;
  /** Resolves once every root kept so far is durable (absent for a store that keeps nothing on disk). */
  flush?(): Promise<void>;
}
