/**
 * The runtime history pruner (oasis-node's `runtime.prune` keep_last): every interval it deletes the
 * rounds older than the last `num_kept`, at most `RUNTIME_PRUNE_BATCH_ROUNDS` per transaction and yielding
 * to the event loop between them, so the runtime's work does not stall. The state of each deleted round
 * goes with it (`releaseState`), unless a kept round still names the same root (rounds without a state
 * change, such as epoch transitions, share their predecessor's).
 */
import { bytesEqual } from '../../../codec/bytes.ts';
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
  readonly #releaseState: (root: Uint8Array) => void;

  constructor(
    history: RuntimeHistory,
    prune: RuntimePruneOptions,
    onError: (err: Error) => void,
    /** Lets go of the state of a pruned round (default: nothing to do). */
    releaseState: (root: Uint8Array) => void = () => {},
  ) {
    this.#history = history;
    this.#releaseState = releaseState;
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
      const roots: Uint8Array[] = [];
      const n = await this.#history.pruneBefore(keepFrom, RUNTIME_PRUNE_BATCH_ROUNDS, (r) => roots.push(r));
      if (n === 0) break;
      const kept = this.#history.earliest()?.block.header.state_root;
      for (const root of roots) if (kept === undefined || !bytesEqual(root, kept)) this.#releaseState(root);
      deleted += n;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return deleted;
  }
}
