/**
 * The node's data directory: where each store lives, and a lock file so that two processes never open
 * the same stores (LMDB, the WAL and the sign state assume a single writer).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Paths inside a data directory (identity key files sit at its top, as oasis-node keeps them). */
export function dataDirPaths(dataDir: string) {
  return {
    root: dataDir,
    state: join(dataDir, 'state'),
    checkpoints: join(dataDir, 'state-checkpoints'),
    blocks: join(dataDir, 'blocks'),
    wal: join(dataDir, 'consensus-wal'),
    signState: join(dataDir, 'consensus-sign-state.json'),
    internalSocket: join(dataDir, 'internal.sock'),
    lock: join(dataDir, 'node.lock'),
    log: join(dataDir, 'node.log'),
  };
}

/** The files and directories of a node's data directory. */
export type DataDirPaths = ReturnType<typeof dataDirPaths>;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the data directory's lock (creating the directory with mode 0700). A lock left by a process that
 * no longer runs (a crash) is taken over; one held by a live process is refused.
 */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const lock = dataDirPaths(dataDir).lock;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lock, `${process.pid}\n`, { flag: 'wx', mode: 0o600 });
      return () => rmSync(lock, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number.parseInt(readFileSync(lock, 'utf8'), 10);
      if (Number.isInteger(pid) && pid !== process.pid && alive(pid)) {
        throw new Error(`data directory ${dataDir} is in use by process ${pid}`);
      }
      rmSync(lock, { force: true });
    }
  }
  throw new Error(`cannot lock data directory ${dataDir}`);
}
