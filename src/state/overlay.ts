/**
 * A write buffer over another state: reads see buffered writes first, `commit` pushes them down to the
 * parent, `discard` drops them. Nested overlays give transactions atomicity (a failed method changes
 * nothing) while fee and nonce changes, made one level up, survive.
 */
import { bytesKey, compareBytes } from '../codec/bytes.ts';
import type { StateReader, StateWriter } from './api.ts';

type Pending = { key: Uint8Array; value: Uint8Array | null };

function hasPrefix(key: Uint8Array, prefix: Uint8Array): boolean {
  if (key.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (key[i] !== prefix[i]) return false;
  return true;
}

/** An in-memory write buffer over `parent`. */
export class StateOverlay implements StateWriter {
  readonly #parent: StateReader;
  readonly #pending = new Map<string, Pending>();

  constructor(parent: StateReader) {
    this.#parent = parent;
  }

  get(key: Uint8Array): Uint8Array | undefined {
    // Nested overlays (one per transaction and method) are mostly empty: no key to build for them.
    if (this.#pending.size === 0) return this.#parent.get(key);
    const p = this.#pending.get(bytesKey(key));
    if (p !== undefined) return p.value ?? undefined;
    return this.#parent.get(key);
  }

  set(key: Uint8Array, value: Uint8Array): void {
    this.#pending.set(bytesKey(key), { key: new Uint8Array(key), value: new Uint8Array(value) });
  }

  remove(key: Uint8Array): void {
    this.#pending.set(bytesKey(key), { key: new Uint8Array(key), value: null });
  }

  *entries(prefix: Uint8Array): Iterable<[Uint8Array, Uint8Array]> {
    const own = [...this.#pending.values()]
      .filter((p) => hasPrefix(p.key, prefix))
      .sort((a, b) => compareBytes(a.key, b.key));
    let i = 0;
    for (const [key, value] of this.#parent.entries(prefix)) {
      while (i < own.length && compareBytes(own[i]!.key, key) < 0) {
        const p = own[i++]!;
        if (p.value !== null) yield [p.key, p.value];
      }
      if (i < own.length && compareBytes(own[i]!.key, key) === 0) {
        const p = own[i++]!;
        if (p.value !== null) yield [p.key, p.value];
        continue;
      }
      yield [key, value];
    }
    while (i < own.length) {
      const p = own[i++]!;
      if (p.value !== null) yield [p.key, p.value];
    }
  }

  /** Buffered writes in ascending key order (`null` value = removal). */
  writes(): Array<[Uint8Array, Uint8Array | null]> {
    return [...this.#pending.values()]
      .sort((a, b) => compareBytes(a.key, b.key))
      .map((p) => [p.key, p.value]);
  }

  /**
   * Applies buffered writes to `target` (normally the parent) and clears the buffer. Another overlay takes
   * the buffered entries over as they are (this one owns its copies and lets go of them), so a write made
   * several transaction levels down is copied once, not once per level.
   */
  commitTo(target: StateWriter): void {
    if (target instanceof StateOverlay) {
      for (const [id, p] of this.#pending) target.#pending.set(id, p);
      this.#pending.clear();
      return;
    }
    for (const [key, value] of this.writes()) {
      if (value === null) target.remove(key);
      else target.set(key, value);
    }
    this.#pending.clear();
  }

  /** Drops buffered writes. */
  discard(): void {
    this.#pending.clear();
  }
}

/** An empty state, the base of an in-memory state in tests and tools. */
export const EMPTY_STATE: StateReader = Object.freeze({
  get: () => undefined,
  entries: () => [],
});

/** A plain in-memory state (an overlay over nothing). */
export function memoryState(): StateOverlay {
  return new StateOverlay(EMPTY_STATE);
}
