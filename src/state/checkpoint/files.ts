/**
 * Checkpoints on disk, one directory per version: `<dir>/<version>/manifest` (CBOR) and
 * `<dir>/<version>/chunks/<index>`. A checkpoint is written whole into `<dir>/.tmp-<version>` and then
 * renamed into place; leftover temporary directories are removed on open.
 *
 * Durable checkpoints (the consensus state's: once its versions are pruned they cannot be written again)
 * fsync every file and directory, so after a crash a version directory is always complete. Checkpoints that
 * can be written again (a runtime's, written on demand) skip every fsync: a crash may then leave a version
 * directory whose files are missing, short or garbage, so on open a version with the wrong number of chunk
 * files is dropped, and each chunk is checked against the manifest's digest before it is served — a bad
 * one drops the whole checkpoint (to be written again on the next request) and is reported as not found.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bytesEqual } from '../../codec/bytes.ts';
import { fsyncDirectory, writeFileDurably } from '../../durable_fs.ts';
import { chunkDigest } from './chunks.ts';
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

/** The file at `path`, or undefined when it cannot be read (a non-durable checkpoint a crash cut short). */
function readIfPresent(path: string): Uint8Array | undefined {
  try {
    return new Uint8Array(readFileSync(path));
  } catch {
    return undefined;
  }
}

/** How checkpoints are written. */
export interface CheckpointFilesOptions {
  /** Fsync every file and directory (default); false for checkpoints that can be written again. */
  durable?: boolean;
}

/** The checkpoint directory of one state. */
export class CheckpointFiles {
  readonly #dir: string;
  readonly #namespace: Uint8Array;
  readonly #durable: boolean;
  #manifests: Map<number, Manifest>;

  /**
   * Opens (creating) `dir`, removing leftovers of interrupted writes (and, when not durable, checkpoints a
   * crash left incomplete); it holds checkpoints of the state of `namespace` (default: the consensus state).
   */
  constructor(
    dir: string,
    namespace: Uint8Array = CONSENSUS_NAMESPACE,
    options: CheckpointFilesOptions = {},
  ) {
    this.#dir = dir;
    this.#namespace = namespace;
    this.#durable = options.durable ?? true;
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
        const manifest = decodeManifest(readFileSync(join(dir, name, 'manifest')), namespace);
        if (!this.#durable && readdirSync(join(dir, name, 'chunks')).length !== manifest.chunks.length)
          throw new Error('chunk files missing');
        this.#manifests.set(version, manifest);
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

  /**
   * Chunk `index` of the checkpoint at `version`; coded errors when either is not kept (also when a
   * non-durable checkpoint's chunk turns out damaged: the checkpoint is dropped then).
   */
  chunk(version: number, index: number): Uint8Array {
    const m = this.#manifests.get(version);
    if (m === undefined)
      throw checkpointError(CheckpointErrorCode.checkpointNotFound, `no checkpoint at ${version}`);
    if (!Number.isSafeInteger(index) || index < 0 || index >= m.chunks.length)
      throw checkpointError(CheckpointErrorCode.chunkNotFound, `checkpoint ${version} has no chunk ${index}`);
    const path = join(this.#dir, String(version), 'chunks', String(index));
    if (this.#durable) return new Uint8Array(readFileSync(path));
    const chunk = readIfPresent(path);
    if (chunk === undefined || !bytesEqual(chunkDigest(chunk), m.chunks[index]!)) {
      this.remove(version);
      throw checkpointError(
        CheckpointErrorCode.checkpointNotFound,
        `checkpoint ${version} was damaged on disk (chunk ${index}) and is dropped`,
      );
    }
    return chunk;
  }

  /** Starts writing the checkpoint of `version` (replacing an interrupted attempt). */
  begin(version: number): CheckpointWriter {
    const tmp = join(this.#dir, `${TMP_PREFIX}${version}`);
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(join(tmp, 'chunks'), { recursive: true });
    let next = 0;
    return {
      addChunk: (chunk) => {
        this.#write(join(tmp, 'chunks', String(next++)), chunk);
      },
      commit: (manifest) => {
        if (manifest.version !== version || manifest.chunks.length !== next)
          throw new Error(
            `manifest of ${manifest.version} with ${manifest.chunks.length} chunks, wrote ${next}`,
          );
        this.#write(join(tmp, 'manifest'), encodeManifest(manifest, this.#namespace));
        if (this.#durable) fsyncDirectory(join(tmp, 'chunks'));
        const final = join(this.#dir, String(version));
        rmSync(final, { recursive: true, force: true });
        renameSync(tmp, final);
        if (this.#durable) fsyncDirectory(this.#dir);
        this.#manifests.set(version, manifest);
      },
      abort: () => rmSync(tmp, { recursive: true, force: true }),
    };
  }

  /** Writes one file of a checkpoint, synced when the checkpoints are durable. */
  #write(path: string, data: Uint8Array): void {
    if (this.#durable) writeFileDurably(path, data);
    else writeFileSync(path, data);
  }

  /** Deletes the checkpoint of `version`. */
  remove(version: number): void {
    this.#manifests.delete(version);
    rmSync(join(this.#dir, String(version)), { recursive: true, force: true });
  }
}
