/**
 * Safe key-file handling shared by every file signer: key directories are 0700, key files 0600, a key file
 * is never overwritten, and a file readable by group or others is refused before it is read.
 */
import { chmodSync, mkdirSync, readFileSync, type Stats, statSync, writeFileSync } from 'node:fs';
import { replaceFileDurably } from '../../durable_fs.ts';
import { namedError } from '../../errors.ts';

/** A key file or key directory that cannot be used; the message names the path. */
export class KeyFileError extends namedError('KeyFileError') {
  readonly path: string;

  constructor(path: string, message: string) {
    super(`${path}: ${message}`);
    this.path = path;
  }
}

const DIR_MODE = 0o700;
const FILE_MODE = 0o600;

function octal(mode: number): string {
  return `0${(mode & 0o777).toString(8).padStart(3, '0')}`;
}

/**
 * Creates `dir` (mode 0700) if missing; refuses a non-directory, a directory owned by someone else or one
 * open to group/others (as oasis-core's `common.Mkdir`).
 */
export function ensureKeyDir(dir: string): void {
  let stat: Stats | undefined;
  try {
    stat = statSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new KeyFileError(dir, (err as Error).message);
  }
  if (stat === undefined) {
    mkdirSync(dir, { recursive: true, mode: DIR_MODE });
    chmodSync(dir, DIR_MODE);
    return;
  }
  if (!stat.isDirectory()) throw new KeyFileError(dir, 'not a directory');
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid) {
    throw new KeyFileError(dir, `directory is owned by uid ${stat.uid}, not by the current user (${uid})`);
  }
  if ((stat.mode & 0o077) !== 0) {
    throw new KeyFileError(dir, `directory permissions ${octal(stat.mode)} are too open (want 0700)`);
  }
}

/** True when `path` exists (as anything). */
export function pathExists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Writes a new 0600 file; refuses to overwrite an existing one (checked atomically by the open). */
export function writeNewSecretFile(path: string, contents: string): void {
  try {
    writeFileSync(path, contents, { mode: FILE_MODE, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST')
      throw new KeyFileError(path, 'already exists, refusing to overwrite');
    throw new KeyFileError(path, (err as Error).message);
  }
  chmodSync(path, FILE_MODE);
}

/**
 * Replaces (or creates) a 0600 file atomically and durably (a synced sibling renamed over it): for descriptors that are
 * meant to be re-signed in place, so a crash leaves the old or the new file, never half of one.
 */
export function replaceSecretFile(path: string, contents: string): void {
  try {
    replaceFileDurably(path, new TextEncoder().encode(contents), FILE_MODE);
  } catch (err) {
    throw new KeyFileError(path, (err as Error).message);
  }
}

/** Reads a key file after checking it is a regular file that neither group nor others can access. */
export function readSecretFile(path: string): string {
  let stat: Stats;
  try {
    stat = statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new KeyFileError(path, code === 'ENOENT' ? 'does not exist' : (err as Error).message);
  }
  if (!stat.isFile()) throw new KeyFileError(path, 'not a regular file');
  if ((stat.mode & 0o077) !== 0) {
    throw new KeyFileError(path, `permissions ${octal(stat.mode)} are too open (want 0600)`);
  }
  return readFileSync(path, 'utf8');
}
