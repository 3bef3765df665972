/** The two file-system steps every durable write here needs: writing all bytes, and fsyncing a directory. */
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';

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
