/**
 * The key manager's master secret without a TEE: 32 random bytes made once, on the key manager node's
 * first start, and kept in its data directory readable by the owner only (0600), so a restart serves the
 * same keys. An existing file is never replaced; a file of the wrong size or with group/other access is
 * refused rather than silently used or overwritten.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { fsyncDirectory, writeFileDurably } from '../../../durable_fs.ts';
import { MASTER_SECRET_SIZE } from './kdf.ts';

/** Loads the master secret at `path`, creating it (0600) when absent. */
export function loadOrCreateMasterSecret(path: string): { secret: Uint8Array; created: boolean } {
  if (existsSync(path)) {
    const mode = statSync(path).mode & 0o777;
    if ((mode & 0o077) !== 0)
      throw new Error(
        `${path}: master secret is accessible by others (mode ${mode.toString(8)}); chmod 600 it`,
      );
    const secret = new Uint8Array(readFileSync(path));
    if (secret.length !== MASTER_SECRET_SIZE)
      throw new Error(`${path}: master secret must be ${MASTER_SECRET_SIZE} bytes, found ${secret.length}`);
    return { secret, created: false };
  }
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  // The secret is the one thing a key manager has; generated once, by the OS's CSPRNG.
  const secret = new Uint8Array(randomBytes(MASTER_SECRET_SIZE));
  writeFileDurably(path, secret, { mode: 0o600, flag: 'wx' });
  // A restart must find the file the keys were handed out from, so its directory entry is synced too.
  fsyncDirectory(dirname(path));
  return { secret, created: true };
}
