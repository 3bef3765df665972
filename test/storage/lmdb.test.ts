import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  asKey,
  LMDB_FILE,
  openBinaryDb,
  openLmdbEnv,
  writeAtomically,
  writeDurably,
} from '../../src/storage/lmdb.ts';

test('writeDurably commits all writes atomically and they survive reopening', async () => {
  const root = mkdtempSync(join(tmpdir(), 'lmdb-test-'));
  const dir = join(root, 'nested', 'env');
  try {
    let env = openLmdbEnv(dir);
    assert.ok(existsSync(join(dir, LMDB_FILE)));
    let db = openBinaryDb(env, 'things');
    const result = await writeDurably(env, () => {
      db.putSync(asKey(Uint8Array.of(1)), Buffer.from('one'));
      db.putSync(asKey(Uint8Array.of(2)), Buffer.from('two'));
      // Reads inside the transaction see its own writes.
      return db.getBinary(asKey(Uint8Array.of(1)))?.toString();
    });
    assert.equal(result, 'one');

    // A throwing transaction writes nothing.
    await assert.rejects(
      writeDurably(env, () => {
        db.putSync(asKey(Uint8Array.of(3)), Buffer.from('three'));
        db.removeSync(asKey(Uint8Array.of(1)));
        throw new Error('abort');
      }),
      /abort/,
    );
    // An atomic (not yet synced) write is visible at once and durable after the next flush.
    await writeAtomically(env, () => db.putSync(asKey(Uint8Array.of(4)), Buffer.from('four')));
    assert.equal(db.getBinary(asKey(Uint8Array.of(4)))?.toString(), 'four');
    await env.flushed;
    await env.close();

    env = openLmdbEnv(dir);
    db = openBinaryDb(env, 'things');
    assert.equal(db.getBinary(asKey(Uint8Array.of(1)))?.toString(), 'one');
    assert.equal(db.getBinary(asKey(Uint8Array.of(2)))?.toString(), 'two');
    assert.equal(db.getBinary(asKey(Uint8Array.of(3))), undefined);
    // Binary keys iterate in byte order.
    assert.deepEqual(
      [...db.getRange({})].map(({ key }) => [...key]),
      [[1], [2], [4]],
    );
    await env.close();
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('asKey views the same bytes without copying', () => {
  const bytes = new Uint8Array([9, 8, 7, 6]).subarray(1, 3);
  const key = asKey(bytes);
  assert.deepEqual([...key], [8, 7]);
  bytes[0] = 5;
  assert.equal(key[0], 5);
});
