/**
 * LMDB environments for the node's stores, opened one way everywhere so durability is explicit: commits
 * are visible when a transaction resolves but durable only once `flushed` resolves (lmdb-js
 * `overlappingSync`), so every consensus-critical write goes through `writeDurably`.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Database, open, type RootDatabase } from 'lmdb';

/** An LMDB environment (the root database of one memory-mapped file). */
export type LmdbEnv = RootDatabase<Buffer, Buffer>;

/** A named database with raw byte keys and values. */
export type BinaryDb = Database<Buffer, Buffer>;

/** Options for `openLmdbEnv`. */
export interface LmdbEnvOptions {
  /** Initial map size in bytes (lmdb-js grows it on demand). Default 1 GiB. */
  mapSize?: number;
  /** Maximum number of named databases. Default 16. */
  maxDbs?: number;
}

/** File name of the environment inside its directory. */
export const LMDB_FILE = 'data.mdb';

/**
 * Opens (creating if needed) the environment in `dir`. Syncing stays on (never `noSync`): a transaction
 * is atomic, and durable once `flushed` resolves; a crash loses at most writes not yet flushed, never
 * half a transaction.
 */
export function openLmdbEnv(dir: string, options: LmdbEnvOptions = {}): LmdbEnv {
  mkdirSync(dir, { recursive: true });
  return open<Buffer, Buffer>({
    path: join(dir, LMDB_FILE),
    mapSize: options.mapSize ?? 1024 ** 3,
    maxDbs: options.maxDbs ?? 16,
    overlappingSync: true,
    noSync: false,
    compression: false,
    cache: false,
    encoding: 'binary',
    keyEncoding: 'binary',
  });
}

/** Opens the named database `name` of `env` with binary keys and values. */
export function openBinaryDb(env: LmdbEnv, name: string): BinaryDb {
  return env.openDB<Buffer, Buffer>({ name, encoding: 'binary', keyEncoding: 'binary', cache: false });
}

/**
 * Runs `write` in one write transaction, all or nothing, and resolves once it is flushed to disk. `write`
 * runs synchronously inside the transaction and reads in it see its own writes. It runs as an LMDB child
 * transaction: lmdb-js commits the writes of a plain async `transaction` callback even when it throws, a
 * child transaction is rolled back (this needs `cache: false` and no write map, as opened here).
 */
export async function writeDurably<T>(env: LmdbEnv, write: () => T): Promise<T> {
  const result = await writeAtomically(env, write);
  await env.flushed;
  return result;
}

/**
 * Like `writeDurably` but resolves once the transaction is committed and visible, before it is synced:
 * for housekeeping a crash may undo (it is then redone) but never tear, such as pruning old versions.
 * The next `writeDurably` or `flushed` covers it.
 */
export function writeAtomically<T>(env: LmdbEnv, write: () => T): Promise<T> {
  return env.childTransaction(write);
}

/** A byte-array view of a Buffer key or value without copying. */
export function asKey(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
