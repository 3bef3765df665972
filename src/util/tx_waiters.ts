/**
 * Callers waiting until a transaction is decided, by transaction hash: the one mechanism behind the
 * consensus `SubmitTx` (the node's chain view) and the runtime's `SubmitTx` (the executor worker). Several
 * callers may wait on one hash (the same signed transaction submitted twice), each with its own deadline
 * and abort signal; deciding the transaction answers all of them, and a caller that gives up leaves the
 * others waiting. A hash nobody waits on any more holds no memory.
 *
 * It lives in a leaf (imports only the codec) because both the node and the runtime's node side use it.
 */
import { toHex } from '../codec/bytes.ts';

/** How waits end when nothing decides them. */
export interface TxWaitersOptions {
  /** A waiter not answered within this many milliseconds fails with `expired()`. */
  timeoutMs: number;
  /** The error of a waiter whose deadline passed. */
  expired(timeoutMs: number): Error;
  /** The error of a waiter whose signal aborted (default: `Error('cancelled')`). */
  aborted?(): Error;
}

interface Waiter<T> {
  resolve(value: T): void;
  reject(err: Error): void;
  timer: NodeJS.Timeout;
  signal: AbortSignal | undefined;
  onAbort: () => void;
}

/** Waiters by transaction hash, answered when the transaction is decided. */
export class TxWaiters<T> {
  readonly #o: TxWaitersOptions;
  readonly #byHash = new Map<string, Set<Waiter<T>>>();

  constructor(o: TxWaitersOptions) {
    this.#o = o;
  }

  /** Hashes with at least one waiter. */
  get size(): number {
    return this.#byHash.size;
  }

  /** Number of callers waiting on `hash`. */
  waiting(hash: Uint8Array): number {
    return this.#byHash.get(toHex(hash))?.size ?? 0;
  }

  /**
   * Resolves with the outcome of transaction `hash` once `settle` is called for it; fails on its own
   * deadline (`timeoutMs`, default the registry's), when `signal` aborts, or on `fail`/`failAll`.
   */
  wait(hash: Uint8Array, signal?: AbortSignal, timeoutMs = this.#o.timeoutMs): Promise<T> {
    if (signal?.aborted) return Promise.reject(this.#abortError());
    const key = toHex(hash);
    return new Promise<T>((resolve, reject) => {
      let set = this.#byHash.get(key);
      if (set === undefined) this.#byHash.set(key, (set = new Set()));
      const waiters = set;
      const leave = (err: Error) => {
        this.#release(key, waiters, waiter);
        reject(err);
      };
      const waiter: Waiter<T> = {
        resolve,
        reject,
        signal,
        timer: setTimeout(() => leave(this.#o.expired(timeoutMs)), timeoutMs),
        onAbort: () => leave(this.#abortError()),
      };
      waiter.timer.unref();
      signal?.addEventListener('abort', waiter.onAbort, { once: true });
      waiters.add(waiter);
    });
  }

  /** Answers every caller waiting on `hash` with `value`; false when nobody was waiting. */
  settle(hash: Uint8Array, value: T): boolean {
    const waiters = this.#take(toHex(hash));
    for (const w of waiters) w.resolve(value);
    return waiters.length > 0;
  }

  /** Fails every caller waiting on `hash` (the transaction can no longer be decided). */
  fail(hash: Uint8Array, err: Error): void {
    for (const w of this.#take(toHex(hash))) w.reject(err);
  }

  /** Fails every caller (the node is stopping). */
  failAll(err: Error): void {
    for (const key of [...this.#byHash.keys()]) for (const w of this.#take(key)) w.reject(err);
  }

  #take(key: string): Waiter<T>[] {
    const set = this.#byHash.get(key);
    if (set === undefined) return [];
    this.#byHash.delete(key);
    for (const w of set) this.#detach(w);
    return [...set];
  }

  #release(key: string, set: Set<Waiter<T>>, waiter: Waiter<T>): void {
    this.#detach(waiter);
    set.delete(waiter);
    if (set.size === 0 && this.#byHash.get(key) === set) this.#byHash.delete(key);
  }

  #detach(w: Waiter<T>): void {
    clearTimeout(w.timer);
    w.signal?.removeEventListener('abort', w.onAbort);
  }

  #abortError(): Error {
    return this.#o.aborted?.() ?? new Error('cancelled');
  }
}
