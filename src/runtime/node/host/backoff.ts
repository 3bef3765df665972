/**
 * Restart delays for a crashing runtime: exponential, capped, and reset once a runtime has stayed up long
 * enough to count as healthy, so one crash a day restarts at once while a crash loop backs off.
 */

/** Back-off settings. */
export interface BackoffOptions {
  /** First delay. */
  initialMs: number;
  /** Largest delay. */
  maxMs: number;
  /** A runtime that ran at least this long resets the delay to `initialMs`. */
  stableAfterMs: number;
}

/** Default settings: 100 ms doubling up to 10 s; 30 s up resets. */
export const DEFAULT_BACKOFF: BackoffOptions = Object.freeze({
  initialMs: 100,
  maxMs: 10_000,
  stableAfterMs: 30_000,
});

/** Tracks consecutive short-lived runs and yields the next restart delay. */
export class RestartBackoff {
  readonly #options: BackoffOptions;
  #failures = 0;

  constructor(options: BackoffOptions = DEFAULT_BACKOFF) {
    this.#options = options;
  }

  /** The delay before the next start, given how long the last run lasted. */
  next(uptimeMs: number): number {
    if (uptimeMs >= this.#options.stableAfterMs) this.#failures = 0;
    const delay = Math.min(this.#options.maxMs, this.#options.initialMs * 2 ** Math.min(this.#failures, 30));
    this.#failures++;
    return delay;
  }

  /** Consecutive short-lived runs so far. */
  get failures(): number {
    return this.#failures;
  }
}
