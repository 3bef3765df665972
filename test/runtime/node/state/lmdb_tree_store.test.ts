import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { utf8 } from '../../../../src/codec/bytes.ts';
import { EMPTY_HASH } from '../../../../src/crypto/hash.ts';
import { LmdbTreeStore } from '../../../../src/runtime/node/state/lmdb_tree_store.ts';
import type { WriteLogEntry } from '../../../../src/runtime/protocol/types.ts';
import { MemoryTreeStore } from '../../../../src/runtime/state/tree_store.ts';

const dir = mkdtempSync(join(tmpdir(), 'lts-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const kv = (k: string, v: string | null): WriteLogEntry => [utf8(k), v === null ? null : utf8(v)];
const round = (i: number): WriteLogEntry[] => [
  kv(`round ${i}`, `${i}`),
  kv('latest', `${i}`),
  kv(`round ${i - 2}`, null),
];

it('keeps roots across reopening, drops the oldest unpinned ones with their nodes, matches the memory store', async () => {
  const memory = new MemoryTreeStore(3);
  let store = LmdbTreeStore.open(dir, { keptRoots: 3 });
  const genesisLog = Array.from({ length: 50 }, (_, i) => kv(`g${i}`, `genesis ${i}`));
  const genesis = store.apply(EMPTY_HASH, genesisLog);
  assert.deepEqual(genesis, memory.apply(EMPTY_HASH, genesisLog));
  store.pin(genesis);
  memory.pin(genesis);
  const roots = [genesis];
  for (let i = 1; i <= 6; i++) {
    const root = store.apply(roots[i - 1]!, round(i));
    assert.deepEqual(root, memory.apply(roots[i - 1]!, round(i)), `round ${i} root`);
    roots.push(root);
  }
  assert.deepEqual(store.checkIntegrity(), []);
  await store.close();

  store = LmdbTreeStore.open(dir, { keptRoots: 3 });
  try {
    assert.ok(store.has(genesis), 'pinned genesis survives');
    assert.deepEqual(
      roots.slice(1).map((r) => store.has(r)),
      [false, false, false, true, true, true],
    );
    assert.deepEqual(store.reader(roots[6]!).get(utf8('latest')), utf8('6'));
    assert.deepEqual(store.reader(roots[5]!).get(utf8('round 4')), utf8('4'));
    assert.equal(store.reader(roots[6]!).get(utf8('round 4')), undefined);
    assert.deepEqual(store.reader(genesis).get(utf8('g7')), utf8('genesis 7'));
    const page = store.page(roots[6]!, undefined, 1000);
    assert.deepEqual(page, memory.page(roots[6]!, undefined, 1000));
    // Work continues on a restored root and old nodes are released as roots fall out.
    const next = store.apply(roots[6]!, round(7));
    assert.deepEqual(next, memory.apply(roots[6]!, round(7)));
    assert.ok(!store.has(roots[4]!));
    assert.deepEqual(store.checkIntegrity(), []);
  } finally {
    await store.close();
  }
});

it('keeps retained roots past the working set, on disk only, until released', async () => {
  const path = join(dir, 'retained');
  let store = LmdbTreeStore.open(path, { keptRoots: 3 });
  const roots = [EMPTY_HASH];
  for (let i = 1; i <= 10; i++) {
    roots.push(store.apply(roots[i - 1]!, round(i)));
    // Every other round is "finalized" and retained, as a node's history keeps it.
    if (i % 2 === 0) assert.ok(store.retain(roots[i]!));
  }
  assert.equal(store.retain(roots[1]!), false, 'a root no longer held cannot be retained');
  const held = () => roots.slice(1).map((r) => store.has(r));
  const expected = [false, true, false, true, false, true, false, true, true, true];
  assert.deepEqual(held(), expected);
  assert.deepEqual(store.reader(roots[2]!).get(utf8('round 2')), utf8('2'), 'read from disk');
  assert.deepEqual(store.page(roots[4]!, undefined, 100).length, 3);
  // A write log yielding a retained root finds it kept (no second reference to its nodes).
  assert.deepEqual(store.apply(roots[2]!, []), roots[2]);
  assert.deepEqual(store.checkIntegrity(), []);
  await store.close();

  store = LmdbTreeStore.open(path, { keptRoots: 3 });
  try {
    assert.deepEqual(held(), expected, 'retained roots survive reopening');
    store.release(roots[2]!);
    store.release(roots[4]!);
    assert.equal(store.has(roots[2]!), false);
    assert.equal(store.has(roots[4]!), false);
    assert.throws(() => store.reader(roots[4]!), /not available/);
    assert.ok(store.has(roots[6]!));
    assert.deepEqual(store.checkIntegrity(), []);
    // Work continues on a retained root; a released root still in the working set stays until it leaves it.
    for (let i = 11; i <= 15; i++) {
      roots.push(store.apply(roots[i - 1]!, round(i)));
      if (i === 11) {
        store.retain(roots[11]!);
        store.release(roots[11]!);
        assert.ok(store.has(roots[11]!));
      }
    }
    assert.equal(store.has(roots[11]!), false);
    assert.ok(store.has(roots[10]!));
    assert.deepEqual(store.checkIntegrity(), []);
  } finally {
    await store.close();
  }
});
