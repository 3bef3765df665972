/**
 * The last-sign state in one small file, replaced atomically: the new state goes to a temp file (mode
 * 0600) that is fsynced, renamed over the old one, and then the directory is fsynced. A crash at any
 * instant leaves either the old or the new file complete; a leftover temp file never counts (it is
 * removed on load), which is safe because a signature is released only after the rename is durable.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { fsyncDirectory, writeFully } from '../wal/durable_fs.ts';
import { PrivvalErrors } from './errors.ts';
import { decodeSignState, encodeSignState, type SignState } from './sign_state.ts';
import type { SignStateStore } from './store.ts';

/** A `SignStateStore` in one file, written with temp file + fsync + rename + directory fsync. */
export class FileSignStateStore implements SignStateStore {
  /** Path of the state file. */
  readonly path: string;

  /** Stores the state at `path` (its directory is created, mode 0700, when missing). */
  constructor(path: string) {
    this.path = path;
  }

  /** Path of the temp file a save writes before renaming. */
  get tempPath(): string {
    return `${this.path}.tmp`;
  }

  /** The persisted state; undefined when the file does not exist. Throws on an unreadable file. */
  async load(): Promise<SignState | undefined> {
    rmSync(this.tempPath, { force: true });
    let data: Buffer;
    try {
      data = readFileSync(this.path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw PrivvalErrors.unreadableState(this.path, (err as Error).message);
    }
    try {
      return decodeSignState(data);
    } catch (err) {
      throw PrivvalErrors.unreadableState(this.path, (err as Error).message);
    }
  }

  /** Durably replaces the persisted state; resolves only once the new state would survive a crash. */
  async save(state: SignState): Promise<void> {
    const dir = dirname(this.path);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const data = encodeSignState(state);
    rmSync(this.tempPath, { force: true });
    const fd = openSync(this.tempPath, 'wx', 0o600);
    try {
      writeFully(fd, data, null);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(this.tempPath, this.path);
    fsyncDirectory(dir);
  }
}
