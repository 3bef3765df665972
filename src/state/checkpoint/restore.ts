/**
 * Restoring a checkpoint into an empty state (the consensus versioned state, or a runtime's store through
 * an adapter): chunks arrive in any order, each is verified on
 * its own (digest, then proof against the trusted root) before its entries are written to the working
 * state; once all arrived, the working root must equal the manifest's root and is committed as the
 * checkpoint's version. Nothing is committed before that, so a crash mid-restore leaves an empty state.
 */
import { bytesEqual, toHex } from '../../codec/bytes.ts';
import type { VersionedState } from '../api.ts';
import { verifyChunk } from './chunks.ts';
import { CheckpointErrorCode, checkpointError } from './errors.ts';
import type { Manifest } from './manifest.ts';

/**
 * What a restore writes into: the parts of a versioned state it uses, so that any store can be restored
 * into through a small adapter.
 */
export type RestoreTarget = Pick<VersionedState, 'latestVersion' | 'workingRoot' | 'rollback'> & {
  working(): { set(key: Uint8Array, value: Uint8Array): void };
  /** Makes the restored state the one of `version`, durably. */
  commit(version: number): Promise<unknown>;
};

/** One restore in progress. */
export class CheckpointRestore {
  readonly manifest: Manifest;
  readonly #state: RestoreTarget;
  readonly #done = new Set<number>();
  #entries = 0;

  /** Starts restoring `manifest` into `state`, which must be empty. */
  constructor(state: RestoreTarget, manifest: Manifest) {
    if (state.latestVersion() !== 0)
      throw checkpointError(CheckpointErrorCode.restoreAlreadyInProgress, 'the state is not empty');
    this.#state = state;
    this.manifest = manifest;
  }

  /** Chunk indices still missing, ascending. */
  missing(): number[] {
    return this.manifest.chunks.map((_, i) => i).filter((i) => !this.#done.has(i));
  }

  /** Entries written so far. */
  get entries(): number {
    return this.#entries;
  }

  /** Verifies chunk `index` and writes its entries; throws a coded error (state unchanged) if it is bad. */
  addChunk(index: number, chunk: Uint8Array): void {
    if (this.#done.has(index))
      throw checkpointError(CheckpointErrorCode.chunkAlreadyRestored, `chunk ${index} already restored`);
    const entries = verifyChunk(this.manifest, index, chunk);
    const working = this.#state.working();
    for (const [key, value] of entries) working.set(key, value);
    this.#done.add(index);
    this.#entries += entries.length;
  }

  /** Commits the restored state as the checkpoint's version once every chunk is in and the root matches. */
  async finish(): Promise<void> {
    const missing = this.missing();
    if (missing.length > 0)
      throw checkpointError(CheckpointErrorCode.chunkNotFound, `chunks ${missing.join(',')} missing`);
    const root = this.#state.workingRoot();
    if (!bytesEqual(root, this.manifest.root)) {
      this.#state.rollback();
      throw checkpointError(
        CheckpointErrorCode.chunkProofVerificationFailed,
        `restored root ${toHex(root)} is not the checkpoint's ${toHex(this.manifest.root)} (the manifest's chunks do not cover the state)`,
      );
    }
    await this.#state.commit(this.manifest.version);
  }
}
