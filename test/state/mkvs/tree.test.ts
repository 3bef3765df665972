import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { compareBytes, fromBase64, toHex, utf8 } from '../../../src/codec/bytes.ts';
import { EMPTY_HASH } from '../../../src/crypto/hash.ts';
import { iterateEntries } from '../../../src/state/mkvs/iterate.ts';
import { type Child, childHash } from '../../../src/state/mkvs/node.ts';
import { insert, lookup, type MutationContext, remove } from '../../../src/state/mkvs/tree.ts';
import { MEMORY_ONLY, prng, randomBytes, referenceRoot } from './helpers.ts';

const ctx: MutationContext = { loader: MEMORY_ONLY, gen: 1 };
const rootHex = (root: Child): string => toHex(childHash(root));

function build(pairs: Array<[string, string]>): Child {
  let root: Child = null;
  for (const [k, v] of pairs) root = insert(ctx, root, utf8(k), utf8(v));
  return root;
}

function numbered(count: number): Array<[string, string]> {
  return Array.from({ length: count }, (_, i) => [`key ${i}`, `value ${i}`]);
}

// Expected hashes from oasis-core go/storage/mkvs/tree_test.go.
test('oasis-core vector: {"foo"→"bar"} and {"foo","moo"}', () => {
  assert.equal(
    rootHex(build([['foo', 'bar']])),
    'db67c0572006673b488342a45e6590a75e8919265e6da706c80c6b2776017aa7',
  );
  assert.equal(
    rootHex(
      build([
        ['foo', 'bar'],
        ['moo', 'foo'],
      ]),
    ),
    'e627581db43e18410a52793e662e4f21ae6a4fca14e16915a85ec4c3e3e41a13',
  );
  assert.equal(rootHex(null), toHex(EMPTY_HASH));
});

test('oasis-core vector: 1000 pairs "key i"→"value i"', () => {
  const root = build(numbered(1000));
  assert.equal(rootHex(root), '2187c55627819b60069888ba86f83dc2a9f50c827624b0e31e31261806300ede');
  for (let i = 0; i < 1000; i += 37)
    assert.deepEqual(lookup(MEMORY_ONLY, root, utf8(`key ${i}`)), utf8(`value ${i}`));
  assert.equal(lookup(MEMORY_ONLY, root, utf8('key 1000')), undefined);
  assert.equal(lookup(MEMORY_ONLY, root, utf8('key')), undefined);
});

test('oasis-core vector: 500 inserts, then removals retrace every earlier root', () => {
  let root: Child = null;
  const roots: string[] = [];
  for (const [k, v] of numbered(500)) {
    root = insert(ctx, root, utf8(k), utf8(v));
    roots.push(rootHex(root));
  }
  assert.equal(roots[499], 'cf6e9b6a26e10a8218b8658ac9302af1a4c1ae4e1b1a7633860a0f81fb759495');
  for (let i = 499; i > 0; i--) {
    root = remove(ctx, root, utf8(`key ${i}`));
    assert.equal(lookup(MEMORY_ONLY, root, utf8(`key ${i}`)), undefined);
    assert.equal(rootHex(root), roots[i - 1], `root after removing key ${i}`);
  }
  assert.equal(remove(ctx, root, utf8('key 0')), null);
});

test('oasis-core vector: long keys (each a prefix of the next)', () => {
  const longKey = 'Unlock the potential of your data without compromising security or privacy';
  const longValue =
    'The platform that puts data privacy first. From sharing medical records, to analyzing personal financial information, to training machine learning models, the Oasis platform supports applications that use even the most sensitive data without compromising privacy or performance.';
  const roots: string[] = [];
  let root: Child = null;
  for (let i = 1; i <= longKey.length; i++) {
    root = insert(ctx, root, utf8(longKey.slice(0, i)), utf8(longValue));
    roots.push(rootHex(root));
  }
  assert.equal(roots.at(-1), 'd829bb244a709bacf33bc2d8b4a016592e5310a10910aa980ef91cb3b4347dcb');
  for (let i = longKey.length; i > 1; i--) {
    root = remove(ctx, root, utf8(longKey.slice(0, i)));
    assert.equal(rootHex(root), roots[i - 2]);
  }
});

test('oasis-core vectors: commit-no-persist roots', () => {
  const one = build([['this key', 'should not be persisted']]);
  assert.equal(rootHex(one), '46141a682ada455db80763c17c4e76535adaafaa2508d4fdae8a5ee5c0166629');
  const two = insert(ctx, one, utf8('but now'), utf8('we will persist everything'));
  assert.equal(rootHex(two), 'd9b2effdff5a22145cef58c7c84c8040ee441e65a30e75d13e7490939299a4f4');
});

type Op = { op: string; key: string; value?: string; expected_key?: string };
const fixtures = JSON.parse(
  readFileSync(new URL('./fixtures/oasis-core-cases.json', import.meta.url), 'utf8'),
) as { cases: Record<string, Op[]> };

for (const [name, ops] of Object.entries(fixtures.cases)) {
  test(`oasis-core op sequence ${name}`, () => {
    let root: Child = null;
    const model = new Map<string, [Uint8Array, Uint8Array]>();
    for (const op of ops) {
      const key = fromBase64(op.key);
      const value = op.value === undefined ? new Uint8Array(0) : fromBase64(op.value);
      if (op.op === 'Insert') {
        root = insert(ctx, root, key, value);
        model.set(toHex(key), [key, value]);
      } else if (op.op === 'Remove') {
        root = remove(ctx, root, key);
        model.delete(toHex(key));
        assert.equal(lookup(MEMORY_ONLY, root, key), undefined);
      } else if (op.op === 'Get') {
        assert.deepEqual(lookup(MEMORY_ONLY, root, key), value);
      } else if (op.op === 'IteratorSeek') {
        const found: [Uint8Array, Uint8Array] | undefined = iterateEntries(
          MEMORY_ONLY,
          root,
          new Uint8Array(0),
          key,
        ).next().value;
        assert.deepEqual(found, [fromBase64(op.expected_key!), value]);
      } else {
        assert.fail(`unknown op ${op.op}`);
      }
      assert.equal(rootHex(root), toHex(referenceRoot([...model.values()])));
    }
  });
}

test('random inserts/removes: root equals the directly computed root, entries sorted', () => {
  const rand = prng(1234);
  let root: Child = null;
  const model = new Map<string, [Uint8Array, Uint8Array]>();
  for (let step = 0; step < 3000; step++) {
    // Short keys over a tiny alphabet force shared prefixes, prefix keys and label merges.
    const key = randomBytes(rand, rand(4)).map((b) => b & 0x83);
    const localCtx = { loader: MEMORY_ONLY, gen: 1 + rand(3) };
    if (rand(3) === 0) {
      root = remove(localCtx, root, key);
      model.delete(toHex(key));
    } else {
      const value = randomBytes(rand, rand(3));
      root = insert(localCtx, root, key, value);
      model.set(toHex(key), [key, value]);
    }
    if (step % 50 === 0) assert.equal(rootHex(root), toHex(referenceRoot([...model.values()])));
  }
  const expected = [...model.values()].sort((a, b) => compareBytes(a[0], b[0]));
  assert.deepEqual([...iterateEntries(MEMORY_ONLY, root, new Uint8Array(0))], expected);
  for (const prefix of [Uint8Array.of(0x80), Uint8Array.of(0x01, 0x82), Uint8Array.of(0x03)]) {
    const want = expected.filter(([k]) => Buffer.from(k).subarray(0, prefix.length).equals(prefix));
    assert.deepEqual([...iterateEntries(MEMORY_ONLY, root, prefix)], want);
  }
});

test('iteration from any start key, within any prefix, matches the sorted model', () => {
  const rand = prng(4321);
  let root: Child = null;
  const model: Array<[Uint8Array, Uint8Array]> = [];
  for (let i = 0; i < 400; i++) {
    const key = randomBytes(rand, rand(4)).map((b) => b & 0x93);
    root = insert(ctx, root, key, Uint8Array.of(i & 0xff));
  }
  model.push(...iterateEntries(MEMORY_ONLY, root, new Uint8Array(0)));
  for (let round = 0; round < 300; round++) {
    const prefix = randomBytes(rand, rand(3)).map((b) => b & 0x93);
    const from = randomBytes(rand, rand(5)).map((b) => b & 0x97);
    const want = model.filter(
      ([k]) => Buffer.from(k).subarray(0, prefix.length).equals(prefix) && compareBytes(k, from) >= 0,
    );
    assert.deepEqual([...iterateEntries(MEMORY_ONLY, root, prefix, from)], want);
  }
  // "Strictly after k" is "from k || 0x00".
  const [second] = [
    ...iterateEntries(MEMORY_ONLY, root, new Uint8Array(0), Uint8Array.of(...model[0]![0], 0)),
  ];
  assert.deepEqual(second, model[1]);
});

test('copy-on-write: an older root is unchanged by later updates of another generation', () => {
  const before = build(numbered(50));
  const hashBefore = rootHex(before);
  let after = insert({ loader: MEMORY_ONLY, gen: 2 }, before, utf8('key 7'), utf8('changed'));
  after = remove({ loader: MEMORY_ONLY, gen: 2 }, after, utf8('key 8'));
  assert.equal(rootHex(before), hashBefore);
  assert.deepEqual(lookup(MEMORY_ONLY, before, utf8('key 7')), utf8('value 7'));
  assert.deepEqual(lookup(MEMORY_ONLY, after, utf8('key 7')), utf8('changed'));
  assert.notEqual(rootHex(after), hashBefore);
  // Setting the same value again changes nothing (same root object).
  assert.equal(insert(ctx, before, utf8('key 3'), utf8('value 3')), before);
});
