/**
 * The key-value view services work on. Keys are `prefix byte || fixed-size parts` (see `keys.ts`), values
 * are CBOR. Services read and write through these interfaces only, so the same code runs over the
 * authenticated tree (MKVS), an in-memory overlay for one transaction, or a plain map in unit tests.
 */

/** Read access to state at one version. */
export interface StateReader {
  /** The value at `key`, or undefined. */
  get(key: Uint8Array): Uint8Array | undefined;
  /**
   * Entries whose key starts with `prefix`, in ascending byte order of key. Iteration order is part of
   * consensus: it must be the same on every node.
   */
  entries(prefix: Uint8Array): Iterable<[Uint8Array, Uint8Array]>;
}

/** Read and write access to state. */
export interface StateWriter extends StateReader {
  /** Sets `key` to `value`. */
  set(key: Uint8Array, value: Uint8Array): void;
  /** Removes `key` (no-op when absent). */
  remove(key: Uint8Array): void;
}

/**
 * State kept per height: a working state on top of the latest committed version, committed versions
 * readable by height, and the root hash (the app hash) of each. The MKVS implements it over LMDB.
 */
export interface VersionedState {
  /** Latest committed version (block height); 0 when nothing is committed yet. */
  latestVersion(): number;
  /** Root hash of a committed version; throws for a version that is not kept. */
  rootHash(version: number): Uint8Array;
  /** Read-only view of a committed version; throws for a version that is not kept. */
  at(version: number): StateReader;
  /** The working state: the latest version plus uncommitted writes. */
  working(): StateWriter;
  /** The root hash the working state would commit to (computed, not persisted). */
  workingRoot(): Uint8Array;
  /** Commits the working state as `version` (> latest); durable when the promise resolves. */
  commit(version: number): Promise<Uint8Array>;
  /** Drops uncommitted writes. */
  rollback(): void;
  /** Forgets versions below `version` (the latest is always kept). */
  prune(version: number): Promise<void>;
  /** Releases resources. */
  close(): Promise<void>;
}
