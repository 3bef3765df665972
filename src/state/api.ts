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
