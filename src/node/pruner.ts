/**
 * The background consensus pruner (oasis-node's `consensus.prune`): with keep_n, every interval it moves
 * the lowest retained height up to `latest − num_kept + 1` and deletes what lies below — blocks, commits,
 * results, chain states and MKVS state versions — in small transactions, yielding to the event loop
 * between them and never while a block is being applied, so consensus does not stall.
 *
 * Crash safety: the new retained height is recorded durably first (nothing below it is served from then
 * on), the data below is deleted after. A crash in between leaves unserved leftovers, which the first pass
 * after a restart removes; the retained height never moves back.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { PruneOptions } from '../consensus/bft/prune_options.ts';
import { PeriodicTask } from '../util/periodic_task.ts';

/** The block store as the pruner sees it. */
export interface PrunableBlocks {
  height(): number;
  retainedHeight(): number;
  retainFrom(height: number): Promise<number>;
  pruneBatch(limit: number): Promise<number>;
}

/** The versioned state as the pruner sees it. */
export interface PrunableState {
  latestVersion(): number;
  /** Kept versions, ascending. */
  versions(): number[];
  /** Forgets versions below `version` (the latest always stays). */
  prune(version: number): Promise<void>;
}

/** What one pass did. */
export interface PruneReport {
  /** Lowest retained height after the pass. */
  retainedHeight: number;
  /** Block-store records (blocks, commits, results, states) deleted. */
  records: number;
  /** State versions deleted. */
  versions: number;
  /** The pass stopped early (the node is stopping or stayed busy applying a block). */
  interrupted: boolean;
}

/** What the pruner works on. */
export interface PrunerOptions {
  prune: PruneOptions;
  store: PrunableBlocks;
  state: PrunableState;
  /** Lowest height another part of the node still reads (e.g. a hosted runtime's last round); none: undefined. */
  holds?: () => number | undefined;
  /** True while a block is being applied; the pruner waits for it to end between batches. */
  busy?: () => boolean;
  /** How long a batch waits for a block being applied before the pass gives up (default 5 s). */
  busyDeadlineMs?: number;
  /** Reports each pass that deleted something. */
  onPass?: (report: PruneReport) => void;
  /** Reports a failed pass (the next interval tries again). */
  onError?: (err: Error) => void;
}

/** Block-store records deleted per transaction (per kind). */
export const PRUNE_BATCH_RECORDS = 64;
/** State versions released per transaction. */
export const PRUNE_BATCH_VERSIONS = 8;
/** How long a batch waits for a block being applied to finish before the pass gives up until next time. */
const DEFAULT_BUSY_DEADLINE_MS = 5_000;
const BUSY_POLL_MS = 5;

/** Runs prune passes every interval until stopped. */
export class ConsensusPruner {
  readonly #o: PrunerOptions;
  readonly #task: PeriodicTask;

  constructor(o: PrunerOptions) {
    this.#o = o;
    this.#task = new PeriodicTask(
      async () => {
        const report = await this.runOnce();
        if (report.records + report.versions > 0) this.#o.onPass?.(report);
      },
      o.prune.interval,
      (err) => this.#o.onError?.(err),
    );
  }

  /** Starts the passes: the first at once (it also clears leftovers of a pass a crash cut short). */
  start(): void {
    if (this.#o.prune.strategy === 'none') return;
    this.#task.start();
  }

  /** Stops the passes, waiting for the batch in progress. */
  stop(): Promise<void> {
    return this.#task.stop();
  }

  /** One pass: moves the retained height up to the kept window, then deletes what lies below it. */
  async runOnce(): Promise<PruneReport> {
    const { store, state, prune } = this.#o;
    const report: PruneReport = { retainedHeight: 0, records: 0, versions: 0, interrupted: false };
    if (prune.strategy === 'keep_n') {
      const latest = Math.min(store.height(), state.latestVersion());
      let target = latest - prune.num_kept + 1;
      const hold = this.#o.holds?.();
      if (hold !== undefined) target = Math.min(target, hold);
      if (target > store.retainedHeight()) await store.retainFrom(target);
    }
    const retained = store.retainedHeight();
    report.retainedHeight = retained;
    for (;;) {
      if (!(await this.#ready())) return { ...report, interrupted: true };
      const deleted = await store.pruneBatch(PRUNE_BATCH_RECORDS);
      if (deleted === 0) break;
      report.records += deleted;
    }
    // New versions only appear above the latest, so the doomed ones can be listed once.
    const doomed = state.versions().filter((v) => v < retained);
    for (let i = 0; i < doomed.length; i += PRUNE_BATCH_VERSIONS) {
      if (!(await this.#ready())) return { ...report, interrupted: true };
      const batch = doomed.slice(i, i + PRUNE_BATCH_VERSIONS);
      await state.prune(batch[batch.length - 1]! + 1);
      report.versions += batch.length;
    }
    return report;
  }

  /** Yields to the event loop, then waits (bounded) until no block is being applied; false: give up. */
  async #ready(): Promise<boolean> {
    await new Promise<void>((resolve) => setImmediate(resolve));
    const deadline = Date.now() + (this.#o.busyDeadlineMs ?? DEFAULT_BUSY_DEADLINE_MS);
    while (this.#o.busy?.()) {
      if (this.#task.stopped || Date.now() > deadline) return false;
      await sleep(BUSY_POLL_MS);
    }
    return !this.#task.stopped;
  }
}
