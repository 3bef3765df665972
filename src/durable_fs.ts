/**
 * The file-system steps every durable write in the node needs (a shared leaf: state, keys, WAL, sign state,
 * checkpoints and manifests all use it): writing every byte, fsyncing a file and its directory, and replacing
 * a file atomically so a crash leaves the old or the new contents, never half of one.
 */
import { closeSync, fchmodSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** Fsyncs a directory so that entries created, renamed or removed in it are durable. */
export function fsyncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Writes all of `data` at `position` (or the current offset when null), looping over short writes. */
export function writeFully(fd: number, data: Uint8Array, position: number | null): void {
  let done = 0;
  while (done < data.length) {
    done += writeSync(fd, data, done, data.length - done, position === null ? null : position + done);
  }
}

/** How `writeFileDurably` opens the file. */
export interface DurableWriteOptions {
  /** Permission bits, set exactly (not masked by the umask). */
  mode?: number;
  /** 'w' (create or truncate, the default) or 'wx' (refuse an existing file). */
  flag?: 'w' | 'wx';
}

/** Writes `data` to `path` and fsyncs the file before returning (its directory entry is not synced). */
export function writeFileDurably(path: string, data: Uint8Array, options: DurableWriteOptions = {}): void {
  const fd = openSync(path, options.flag ?? 'w', options.mode ?? 0o644);
  try {
    if (options.mode !== undefined) fchmodSync(fd, options.mode);
    writeFully(fd, data, null);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Replaces (or creates) `path` atomically and durably: writes a synced sibling, renames it over the file and
 * fsyncs the directory. A failure removes the sibling and rethrows.
 */
export function replaceFileDurably(path: string, data: Uint8Array, mode?: number): void {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    writeFileDurably(tmp, data, mode === undefined ? {} : { mode });
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  fsyncDirectory(dirname(path));
}
