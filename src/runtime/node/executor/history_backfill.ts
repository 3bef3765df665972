/**
 * Backfill of the runtime history (oasis-core's history reindexer, simplified): the executor worker
 * records the runtime's latest block at each consensus commit it handles, so rounds finalized at heights
 * it never handled (the node was down or restarting, commits it skipped) would be missing and `GetBlock`
 * would not find them. This walks the consensus heights since the last indexed one and records each
 * height's latest runtime block, a bounded number of heights per step.
 */
import type { AnnotatedBlock } from '../client/api.ts';
import type { RuntimeHistory } from './history.ts';
import type { RoundView } from './round_view.ts';

/** Consensus heights read per step, so a long gap does not stall the worker's rounds. */
export const BACKFILL_HEIGHTS_PER_STEP = 256n;

/** What the backfill reads and writes. */
export interface HistoryBackfillOptions {
  history: RuntimeHistory;
  /**
   * The runtime's latest block as of consensus `height` (undefined when the roothash did not know the
   * runtime yet); throws when that height's state is not kept (pruned, or before a state sync).
   */
  runtimeBlockAt(height: bigint): AnnotatedBlock | undefined;
  /** Consensus heights read per step (default `BACKFILL_HEIGHTS_PER_STEP`). */
  heightsPerStep?: bigint;
  /** Called with each block recorded. */
  onRecorded?(b: AnnotatedBlock): void;
  log: {
    info(msg: string, f?: Record<string, unknown>): void;
    warn(msg: string, f?: Record<string, unknown>): void;
  };
}

/** Keeps one runtime's history complete from its first recorded block on. */
export class HistoryBackfill {
  readonly #o: HistoryBackfillOptions;
  /**
   * Consensus height through which the history holds every finalized runtime block (undefined: nothing
   * recorded yet, so nothing to fill). The latest block's height after a restart: later ones are unknown.
   */
  #indexedHeight: bigint | undefined;

  constructor(o: HistoryBackfillOptions) {
    this.#o = o;
    this.#indexedHeight = o.history.latest()?.consensusHeight;
  }

  /**
   * Records the blocks finalized after the indexed height and before the height that finalized `view`'s
   * latest block (that one is the worker's to record, once its state is here), at most one step of
   * heights. Resolves whether more heights remain. A height whose state is no longer kept ends the
   * backfill with a warning: those rounds stay unknown here (peers with a longer window still have them).
   */
  async step(view: RoundView): Promise<boolean> {
    const from = this.#indexedHeight;
    const target = view.lastBlockHeight - 1n;
    if (from === undefined || from >= target) return false;
    const perStep = this.#o.heightsPerStep ?? BACKFILL_HEIGHTS_PER_STEP;
    const to = target < from + perStep ? target : from + perStep;
    let recorded = 0;
    for (let height = from + 1n; height <= to; height++) {
      let b: AnnotatedBlock | undefined;
      try {
        b = this.#o.runtimeBlockAt(height);
      } catch (err) {
        this.#o.log.warn('runtime history gap: consensus state below the retained window', {
          fromHeight: height,
          toHeight: target,
          err: (err as Error).message,
        });
        this.#indexedHeight = target;
        return false;
      }
      if (b === undefined || this.#o.history.block(b.block.header.round) !== undefined) continue;
      await this.#o.history.record(b);
      this.#o.onRecorded?.(b);
      recorded++;
    }
    this.#indexedHeight = to;
    if (recorded > 0)
      this.#o.log.info('runtime history backfilled', {
        fromHeight: from + 1n,
        toHeight: to,
        rounds: recorded,
      });
    return to < target;
  }

  /** Once the history holds every block up to `view`'s latest, it is indexed through `view`'s height. */
  noteIndexed(view: RoundView): void {
    const indexed = this.#indexedHeight;
    if (indexed !== undefined && indexed < view.lastBlockHeight - 1n) return;
    if (this.#o.history.block(view.lastBlock.header.round) === undefined) return;
    if (indexed === undefined || indexed < BigInt(view.height)) this.#indexedHeight = BigInt(view.height);
  }
}
