/**
 * A background pass run again `intervalMs` after each one ends (never two at once) until stopped: what the
 * node's pruners share. Errors go to `onError` and do not stop the next pass; the timer never keeps the
 * process alive; `stop` waits for the pass in progress, which can check `stopped` between its batches.
 */
export class PeriodicTask {
  readonly #run: () => Promise<void>;
  readonly #intervalMs: number;
  readonly #onError: (err: Error) => void;
  #timer: NodeJS.Timeout | undefined;
  #pass: Promise<void> = Promise.resolve();
  #stopped = false;

  constructor(run: () => Promise<void>, intervalMs: number, onError: (err: Error) => void) {
    this.#run = run;
    this.#intervalMs = intervalMs;
    this.#onError = onError;
  }

  /** True once `stop` was called. */
  get stopped(): boolean {
    return this.#stopped;
  }

  /** Schedules the first pass after `delayMs`. */
  start(delayMs = 0): void {
    this.#schedule(delayMs);
  }

  /** Stops scheduling passes and waits for the one in progress. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#pass;
  }

  #schedule(delayMs: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#pass = this.#run()
        .catch((err: Error) => this.#onError(err))
        .finally(() => this.#schedule(this.#intervalMs));
    }, delayMs);
    this.#timer.unref();
  }
}
