/**
 * The consensus checkpointer (oasis-core's `checkpoint.Checkpointer` for the consensus state): at heights
 * `initial_height + k·state_checkpoint_interval` it writes a checkpoint of the state (manifest and chunks,
 * `state/checkpoint`) in the background, chunk by chunk between blocks, and keeps the newest
 * `state_checkpoint_num_kept` (plus the one at the initial height, never collected). Checkpoints are
 * materialised files, so once written they survive pruning; until then the pruner is held back from the
 * version being checkpointed (`holds`).
 */
import type { RangeProver } from '../state/checkpoint/chunks.ts';
import { writeCheckpoint } from '../state/checkpoint/create.ts';
import type { CheckpointFiles } from '../state/checkpoint/files.ts';
import { PeriodicTask } from '../util/periodic_task.ts';

/** Largest chunk target: a chunk (slightly above its target) must fit one p2p response (8 MiB). */
export const MAX_CHUNK_TARGET_BYTES = 4 * 1024 * 1024;
/** How often the checkpointer looks for a due checkpoint. */
const CHECK_INTERVAL_MS = 1_000;

/** The genesis consensus parameters that drive checkpoints. */
export interface CheckpointParams {
  initialHeight: number;
  /** Heights between checkpoints; 0 disables them. */
  interval: number;
  numKept: number;
  chunkSize: number;
}

/** The state as the checkpointer reads it. */
export interface CheckpointedState extends RangeProver {
  latestVersion(): number;
  versions(): number[];
}

/** What the checkpointer works on. */
export interface CheckpointerOptions {
  params: CheckpointParams;
  state: CheckpointedState;
  files: CheckpointFiles;
  onCreated?: (info: { version: number; chunks: number; bytes: number; ms: number }) => void;
  onError?: (err: Error) => void;
}

/** Creates and collects checkpoints in the background. */
export class Checkpointer {
  readonly #o: CheckpointerOptions;
  readonly #task: PeriodicTask;

  constructor(o: CheckpointerOptions) {
    this.#o = o;
    this.#task = new PeriodicTask(
      () => this.runOnce().then(() => undefined),
      CHECK_INTERVAL_MS,
      (err) => this.#o.onError?.(err),
    );
  }

  /** Starts the background passes (none when checkpoints are disabled). */
  start(): void {
    if (this.#o.params.interval > 0) this.#task.start();
  }

  /** Stops, waiting for the checkpoint in progress to be written or dropped. */
  stop(): Promise<void> {
    return this.#task.stop();
  }

  /** Heights of the checkpoints this node can serve, ascending. */
  heights(): number[] {
    return this.#o.files.list().map((m) => m.version);
  }

  /** The newest checkpoint height due at or below `latest` (undefined when none is due). */
  #newestTarget(latest: number): number | undefined {
    const { initialHeight, interval } = this.#o.params;
    if (interval <= 0 || latest < initialHeight) return undefined;
    return initialHeight + Math.floor((latest - initialHeight) / interval) * interval;
  }

  /** The lowest state version still to be checkpointed (the pruner must keep it); undefined: none. */
  holds(): number | undefined {
    const target = this.#newestTarget(this.#o.state.latestVersion());
    if (target === undefined || this.#o.files.manifest(target) !== undefined) return undefined;
    return this.#o.state.versions().includes(target) ? target : undefined;
  }

  /**
   * One pass: writes the missing checkpoints from the newest due one downwards (stopping at an existing
   * one, at `num_kept`, or at a pruned version), then deletes the oldest beyond `num_kept`. Resolves with
   * the versions written.
   */
  async runOnce(): Promise<number[]> {
    const { params, state, files } = this.#o;
    const written: number[] = [];
    let v = this.#newestTarget(state.latestVersion());
    const kept = new Set(state.versions());
    while (v !== undefined && v >= params.initialHeight && written.length < params.numKept) {
      if (files.manifest(v) !== undefined || !kept.has(v)) break;
      if (!(await this.#create(v))) return written;
      written.push(v);
      v -= params.interval;
    }
    const collectable = files.list().filter((m) => m.version !== params.initialHeight);
    for (const m of collectable.slice(0, Math.max(0, collectable.length - params.numKept)))
      files.remove(m.version);
    return written;
  }

  /** Writes the checkpoint of `version`, yielding between chunks; false if stopped meanwhile. */
  async #create(version: number): Promise<boolean> {
    const { state, files, params } = this.#o;
    const chunkSize = Math.min(params.chunkSize, MAX_CHUNK_TARGET_BYTES);
    const created = await writeCheckpoint(files, state, version, chunkSize, () => this.#task.stopped);
    if (created === undefined) return false;
    const { manifest, bytes, ms } = created;
    this.#o.onCreated?.({ version, chunks: manifest.chunks.length, bytes, ms });
    return true;
  }
}
