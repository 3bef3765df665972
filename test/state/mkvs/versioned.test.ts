import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { compareBytes, toHex, utf8 } from '../../../src/codec/bytes.ts';
import { EMPTY_HASH } from '../../../src/crypto/hash.ts';
import { CodedError } from '../../../src/errors.ts';
import { MKVS_MODULE, MkvsErrorCode } from '../../../src/state/mkvs/errors.ts';
import { verifyProof } from '../../../src/state/mkvs/proof.ts';
import { type MkvsState, openMkvs } from '../../../src/state/mkvs/versioned.ts';
import { prng, randomBytes, referenceRoot } from './helpers.ts';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mkvs-test-'));
  dirs.push(dir);
  return dir;
}
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function isCode(code: number): (err: unknown) => boolean {
  return (err) => CodedError.is(err, MKVS_MODULE, code);
}

const text = (bytes: Uint8Array | undefined): string | undefined =>
  bytes === undefined ? undefined : Buffer.from(bytes).toString();

test('commit, read back by version, reopen restores the latest version', async () => {
  const dir = tempDir();
  let state = await openMkvs(dir);
  assert.equal(state.latestVersion(), 0);
  assert.deepEqual(state.rootHash(0), EMPTY_HASH);
  assert.deepEqual(state.workingRoot(), EMPTY_HASH);

  const w = state.working();
  w.set(utf8('foo'), utf8('bar'));
  assert.equal(
    toHex(state.workingRoot()),
    'db67c0572006673b488342a45e6590a75e8919265e6da706c80c6b2776017aa7',
  );
  const root1 = await state.commit(1);
  assert.deepEqual(root1, state.rootHash(1));
  for (let i = 0; i < 1000; i++) w.set(utf8(`key ${i}`), utf8(`value ${i}`));
  w.remove(utf8('foo'));
  assert.equal(
    toHex(await state.commit(5)),
    '2187c55627819b60069888ba86f83dc2a9f50c827624b0e31e31261806300ede',
  );
  assert.throws(() => state.rootHash(3), isCode(MkvsErrorCode.versionNotFound));
  await assert.rejects(async () => state.commit(5), isCode(MkvsErrorCode.badVersion));
  await state.close();
  assert.throws(() => state.working().get(utf8('x')), isCode(MkvsErrorCode.unavailable));

  state = await openMkvs(dir);
  assert.equal(state.latestVersion(), 5);
  assert.deepEqual(state.versions(), [1, 5]);
  assert.equal(text(state.at(1).get(utf8('foo'))), 'bar');
  assert.equal(state.at(5).get(utf8('foo')), undefined);
  assert.equal(text(state.working().get(utf8('key 512'))), 'value 512');
  assert.deepEqual(
    [...state.at(5).entries(utf8('key 99'))].map(([k]) => text(k)),
    [
      'key 99',
      'key 990',
      'key 991',
      'key 992',
      'key 993',
      'key 994',
      'key 995',
      'key 996',
      'key 997',
      'key 998',
      'key 999',
    ],
  );
  assert.deepEqual(state.checkIntegrity(), []);
  await state.close();
});

test('uncommitted writes: rollback drops them, close without commit loses them', async () => {
  const dir = tempDir();
  let state = await openMkvs(dir);
  state.working().set(utf8('a'), utf8('1'));
  const committed = await state.commit(1);
  state.working().set(utf8('b'), utf8('2'));
  state.working().remove(utf8('a'));
  assert.notDeepEqual(state.workingRoot(), committed);
  state.rollback();
  assert.deepEqual(state.workingRoot(), committed);
  assert.equal(text(state.working().get(utf8('a'))), '1');

  state.working().set(utf8('c'), utf8('3'));
  state.workingRoot();
  await state.close();
  state = await openMkvs(dir);
  assert.equal(state.latestVersion(), 1);
  assert.deepEqual(state.workingRoot(), committed);
  assert.equal(state.working().get(utf8('c')), undefined);
  assert.deepEqual(state.checkIntegrity(), []);
  await state.close();
});

test('writes are refused while a commit is in flight; reads still work', async () => {
  const state = await openMkvs(tempDir());
  state.working().set(utf8('k'), utf8('v'));
  const pending = state.commit(1);
  assert.throws(() => state.working().set(utf8('x'), utf8('y')), isCode(MkvsErrorCode.unavailable));
  assert.equal(text(state.working().get(utf8('k'))), 'v');
  await pending;
  state.working().set(utf8('x'), utf8('y'));
  await state.commit(2);
  await state.close();
});

test('working iterators read a snapshot even when the state changes underneath', async () => {
  const state = await openMkvs(tempDir());
  const w = state.working();
  for (let i = 0; i < 20; i++) w.set(Uint8Array.of(1, i), Uint8Array.of(i));
  const seen: number[] = [];
  for (const [key] of w.entries(Uint8Array.of(1))) {
    seen.push(key[1]!);
    w.remove(key);
    w.set(Uint8Array.of(1, 100 + key[1]!), Uint8Array.of(0));
  }
  assert.deepEqual(
    seen,
    Array.from({ length: 20 }, (_, i) => i),
  );
  assert.equal([...w.entries(Uint8Array.of(1))].length, 20);
  assert.equal(w.get(Uint8Array.of(1, 3)), undefined);
  await state.close();
});

test('proofs from a kept version verify against its root hash', async () => {
  const state = await openMkvs(tempDir(), { cachedNodes: 8 });
  for (let i = 0; i < 300; i++) state.working().set(utf8(`key ${i}`), utf8(`value ${i}`));
  await state.commit(1);
  state.working().set(utf8('key 7'), utf8('seven'));
  await state.commit(2);
  assert.equal(text(verifyProof(state.rootHash(1), utf8('key 7'), state.prove(1, utf8('key 7')))), 'value 7');
  assert.equal(text(verifyProof(state.rootHash(2), utf8('key 7'), state.prove(2, utf8('key 7')))), 'seven');
  assert.equal(verifyProof(state.rootHash(2), utf8('key 300'), state.prove(2, utf8('key 300'))), undefined);
  assert.throws(() => verifyProof(state.rootHash(2), utf8('key 7'), state.prove(1, utf8('key 7'))));
  await state.close();
});

test('bad keys and values are refused with coded errors and change nothing', async () => {
  const state = await openMkvs(tempDir());
  const before = state.workingRoot();
  assert.throws(() => state.working().set(new Uint8Array(8192), utf8('v')), isCode(MkvsErrorCode.badInput));
  assert.throws(
    () => state.working().set(utf8('k'), 'v' as unknown as Uint8Array),
    isCode(MkvsErrorCode.badInput),
  );
  assert.deepEqual(state.workingRoot(), before);
  state.working().set(new Uint8Array(8191), new Uint8Array(0));
  assert.deepEqual(state.working().get(new Uint8Array(8191)), new Uint8Array(0));
  await state.close();
});

/** A sorted-map model of one version. */
type Model = Map<string, [Uint8Array, Uint8Array]>;

function expectSame(state: MkvsState, version: number, model: Model, rand: (n: number) => number): void {
  const reader = state.at(version);
  const sorted = [...model.values()].sort((a, b) => compareBytes(a[0], b[0]));
  assert.deepEqual([...reader.entries(new Uint8Array(0))], sorted, `entries at version ${version}`);
  assert.deepEqual(state.rootHash(version), referenceRoot(sorted), `root at version ${version}`);
  const prefix = Uint8Array.of(rand(4));
  assert.deepEqual(
    [...reader.entries(prefix)],
    sorted.filter(([k]) => k[0] === prefix[0]),
  );
  for (let i = 0; i < 20; i++) {
    const key = Uint8Array.of(rand(4), rand(8));
    assert.deepEqual(reader.get(key), model.get(toHex(key))?.[1]);
  }
}

test('randomized model test: many versions, small cache, reopen, prune, integrity', async () => {
  const dir = tempDir();
  const rand = prng(99);
  let state = await openMkvs(dir, { cachedNodes: 64 });
  const models = new Map<number, Model>();
  let current: Model = new Map();
  let version = 0;
  for (let round = 0; round < 60; round++) {
    const w = state.working();
    for (let op = 0; op < 40; op++) {
      const key = Uint8Array.of(rand(4), rand(8), ...randomBytes(rand, rand(2)));
      if (rand(4) === 0) {
        w.remove(key);
        current.delete(toHex(key));
      } else {
        const value = randomBytes(rand, rand(6));
        w.set(key, value);
        current.set(toHex(key), [key, value]);
      }
      if (op === 20) assert.deepEqual(w.get(key), current.get(toHex(key))?.[1]);
      // The working root mid-block, with more writes to come (cached hashes must be invalidated).
      if (op === 30) assert.deepEqual(state.workingRoot(), referenceRoot([...current.values()]));
    }
    if (rand(10) === 0) {
      // An abandoned block: roll back to the committed version.
      state.rollback();
      current = new Map(models.get(version) ?? []);
      continue;
    }
    version += 1 + rand(2);
    const root = await state.commit(version);
    models.set(version, current);
    current = new Map(current);
    assert.deepEqual(root, state.rootHash(version));

    if (rand(5) === 0) {
      await state.close();
      state = await openMkvs(dir, { cachedNodes: 64 });
      assert.equal(state.latestVersion(), version);
    }
    if (rand(4) === 0) {
      const keep = [...models.keys()].filter((v) => v >= version - 6);
      await state.prune(keep[0]!);
      for (const v of models.keys()) if (!keep.includes(v)) models.delete(v);
      assert.deepEqual(state.versions(), [...models.keys()]);
      assert.deepEqual(state.checkIntegrity(), []);
    }
    for (const [v, model] of models) if (rand(3) === 0 || v === version) expectSame(state, v, model, rand);
  }
  assert.deepEqual(state.checkIntegrity(), []);
  // Pruning everything but the latest leaves exactly the latest tree.
  await state.prune(version + 100);
  assert.deepEqual(state.versions(), [version]);
  assert.deepEqual(state.checkIntegrity(), []);
  expectSame(state, version, models.get(version)!, rand);
  await state.close();
});

test('pruned versions are unreadable; nodes come back when content reappears', async () => {
  const state = await openMkvs(tempDir(), { cachedNodes: 4 });
  const w = state.working();
  for (let i = 0; i < 50; i++) w.set(utf8(`key ${i}`), utf8('a'));
  await state.commit(1);
  const oldReader = state.at(1);
  for (let i = 0; i < 50; i++) w.set(utf8(`key ${i}`), utf8('b'));
  await state.commit(2);
  // Back to version 1's content: the same nodes (same hashes) as version 1.
  for (let i = 0; i < 50; i++) w.set(utf8(`key ${i}`), utf8('a'));
  const root3 = await state.commit(3);
  assert.deepEqual(root3, state.rootHash(1));
  await state.prune(3);
  assert.deepEqual(state.versions(), [3]);
  assert.throws(() => oldReader.get(utf8('key 1')), isCode(MkvsErrorCode.versionNotFound));
  assert.equal(text(state.at(3).get(utf8('key 1'))), 'a');
  assert.deepEqual(state.checkIntegrity(), []);
  // Emptying the tree and pruning leaves no node at all.
  for (let i = 0; i < 50; i++) w.remove(utf8(`key ${i}`));
  assert.deepEqual(await state.commit(4), EMPTY_HASH);
  await state.prune(4);
  assert.deepEqual(state.checkIntegrity(), []);
  assert.deepEqual([...state.at(4).entries(new Uint8Array(0))], []);
  await state.close();
});
