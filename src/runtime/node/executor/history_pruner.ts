/**
 * The runtime history pruner (oasis-node's `runtime.prune` keep_last): every interval it deletes the
 * rounds older than the last `num_kept`, at most `RUNTIME_PRUNE_BATCH_ROUNDS` per transaction and yielding
 * to the event loop between them, so the runtime's work does not stall. The runtime state needs no pass
 * of its own: its tree store keeps a bounded number of roots already.
 */
import { PeriodicTask } from '../../../util/periodic_task.ts';
import type { RuntimePruneOptions } from '../options.ts';
import type { RuntimeHistory } from './history.ts';

/** Rounds deleted per transaction (oasis-core prunes at most 64 rounds per batch). */
export const RUNTIME_PRUNE_BATCH_ROUNDS = 64;

/** Runs keep_last passes over one runtime's history until stopped. */
export class RuntimeHistoryPruner {
  readonly #history: RuntimeHistory;
  readonly #prune: RuntimePruneOptions;
  readonly #task: PeriodicTask;

  constructor(history: RuntimeHistory, prune: RuntimePruneOptions, onError: (err: Error) => void) {
    this.#history = history;
    this.#prune = prune;
    this.#task = new PeriodicTask(
      async () => {
        await this.runOnce();
      },
      prune.interval,
      onError,
    );
  }

  /** Starts the passes (none with strategy `none`). */
  start(): void {
    if (this.#prune.strategy === 'keep_last') this.#task.start();
  }

  /** Stops the passes, waiting for the batch in progress. */
  stop(): Promise<void> {
    return this.#task.stop();
  }

  /** One pass; resolves with the number of rounds deleted. */
  async runOnce(): Promise<number> {
    const latest = this.#history.latest()?.block.header.round;
    if (latest === undefined) return 0;
    const keepFrom = latest - BigInt(this.#prune.num_kept) + 1n;
    let deleted = 0;
    while (!this.#task.stopped) {
      const n = await this.#history.pruneBefore(keepFrom, RUNTIME_PRUNE_BATCH_ROUNDS);
      if (n === 0) break;
      deleted += n;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return deleted;
  }
}
