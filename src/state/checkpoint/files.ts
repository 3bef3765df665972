/**
 * Checkpoints on disk, one directory per version: `<dir>/<version>/manifest` (CBOR) and
 * `<dir>/<version>/chunks/<index>`. A checkpoint is written whole into `<dir>/.tmp-<version>` and then
 * renamed into place, so after a crash a version directory is always complete; leftover temporary
 * directories are removed on open.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fsyncDirectory, writeFileDurably } from '../../durable_fs.ts';
import { CheckpointErrorCode, checkpointError } from './errors.ts';
import { CONSENSUS_NAMESPACE, decodeManifest, encodeManifest, type Manifest } from './manifest.ts';

const TMP_PREFIX = '.tmp-';

/** Writes chunks of a checkpoint being created; `commit` publishes it. */
export interface CheckpointWriter {
  addChunk(chunk: Uint8Array): void;
  /** Publishes the checkpoint with its manifest (atomically). */
  commit(manifest: Manifest): void;
  /** Drops what was written. */
  abort(): void;
}

/** The checkpoint directory of one state. */
export class CheckpointFiles {
  readonly #dir: string;
  readonly #namespace: Uint8Array;
  #manifests: Map<number, Manifest>;

  /**
   * Opens (creating) `dir`, removing leftovers of interrupted writes; it holds checkpoints of the state of
   * `namespace` (default: the consensus state).
   */
  constructor(dir: string, namespace: Uint8Array = CONSENSUS_NAMESPACE) {
    this.#dir = dir;
    this.#namespace = namespace;
    mkdirSync(dir, { recursive: true });
    this.#manifests = new Map();
    for (const name of readdirSync(dir)) {
      if (name.startsWith(TMP_PREFIX)) {
        rmSync(join(dir, name), { recursive: true, force: true });
        continue;
      }
      const version = Number(name);
      if (!Number.isSafeInteger(version) || version <= 0) continue;
      try {
        this.#manifests.set(version, decodeManifest(readFileSync(join(dir, name, 'manifest')), namespace));
      } catch {
        rmSync(join(dir, name), { recursive: true, force: true });
      }
    }
  }

  /** Manifests of the kept checkpoints, by ascending version. */
  list(): Manifest[] {
    return [...this.#manifests.entries()].sort(([a], [b]) => a - b).map(([, m]) => m);
  }

  /** The manifest of `version`, if kept. */
  manifest(version: number): Manifest | undefined {
    return this.#manifests.get(version);
  }

  /** Chunk `index` of the checkpoint at `version`; coded errors when either is not kept. */
  chunk(version: number, index: number): Uint8Array {
    const m = this.#manifests.get(version);
    if (m === undefined)
      throw checkpointError(CheckpointErrorCode.checkpointNotFound, `no checkpoint at ${version}`);
    if (!Number.isSafeInteger(index) || index < 0 || index >= m.chunks.length)
      throw checkpointError(CheckpointErrorCode.chunkNotFound, `checkpoint ${version} has no chunk ${index}`);
    return new Uint8Array(readFileSync(join(this.#dir, String(version), 'chunks', String(index))));
  }

  /** Starts writing the checkpoint of `version` (replacing an interrupted attempt). */
  begin(version: number): CheckpointWriter {
    const tmp = join(this.#dir, `${TMP_PREFIX}${version}`);
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(join(tmp, 'chunks'), { recursive: true });
    let next = 0;
    return {
      addChunk: (chunk) => {
        writeFileDurably(join(tmp, 'chunks', String(next++)), chunk);
      },
      commit: (manifest) => {
        if (manifest.version !== version || manifest.chunks.length !== next)
          throw new Error(
            `manifest of ${manifest.version} with ${manifest.chunks.length} chunks, wrote ${next}`,
          );
        writeFileDurably(join(tmp, 'manifest'), encodeManifest(manifest, this.#namespace));
        fsyncDirectory(join(tmp, 'chunks'));
        const final = join(this.#dir, String(version));
        rmSync(final, { recursive: true, force: true });
        renameSync(tmp, final);
        fsyncDirectory(this.#dir);
        this.#manifests.set(version, manifest);
      },
      abort: () => rmSync(tmp, { recursive: true, force: true }),
    };
  }

  /** Deletes the checkpoint of `version`. */
  remove(version: number): void {
    this.#manifests.delete(version);
    rmSync(join(this.#dir, String(version)), { recursive: true, force: true });
  }
}
