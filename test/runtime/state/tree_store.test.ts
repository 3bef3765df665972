import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toHex, utf8 } from '../../../src/codec/bytes.ts';
import { EMPTY_HASH } from '../../../src/crypto/hash.ts';
import { CodedError } from '../../../src/errors.ts';
import { RhpErrorCode } from '../../../src/runtime/protocol/errors.ts';
import type { WriteLogEntry } from '../../../src/runtime/protocol/types.ts';
import { MemoryTreeStore } from '../../../src/runtime/state/tree_store.ts';

const kv = (k: string, v: string | null): WriteLogEntry => [utf8(k), v === null ? null : utf8(v)];

describe('MemoryTreeStore', () => {
  it('reproduces oasis-core MKVS root vectors', () => {
    const store = new MemoryTreeStore();
    assert.equal(
      toHex(store.apply(EMPTY_HASH, [kv('foo', 'bar')])),
      'db67c0572006673b488342a45e6590a75e8919265e6da706c80c6b2776017aa7',
    );
    const many = Array.from({ length: 1000 }, (_, i) => kv(`key ${i}`, `value ${i}`));
    const root = toHex(store.apply(EMPTY_HASH, many));
    assert.ok(root.startsWith('2187c556') && root.endsWith('0ede'), root);
  });

  it('keeps earlier roots readable after later writes (structure sharing, no in-place change)', () => {
    const store = new MemoryTreeStore();
    const r1 = store.apply(EMPTY_HASH, [kv('a', '1'), kv('b', '2')]);
    const r2 = store.apply(r1, [kv('a', '9'), kv('c', '3')]);
    const r3 = store.apply(r2, [kv('c', null), kv('a', '1')]);
    assert.deepEqual(r3, r1, 'undoing the writes gives back the same root');
    assert.deepEqual(store.reader(r1).get(utf8('a')), utf8('1'));
    assert.deepEqual(store.reader(r2).get(utf8('a')), utf8('9'));
    assert.deepEqual(
      [...store.reader(r2).entries(new Uint8Array(0))].map(([k]) => Buffer.from(k).toString()),
      ['a', 'b', 'c'],
    );
    assert.deepEqual(
      store.page(r2, utf8('a'), 1).map(([k]) => Buffer.from(k).toString()),
      ['b'],
    );
  });

  it('pages through a root in order, continuing or restarting as asked', () => {
    const store = new MemoryTreeStore();
    const r1 = store.apply(
      EMPTY_HASH,
      Array.from({ length: 25 }, (_, i) => kv(`k${String(i).padStart(2, '0')}`, `${i}`)),
    );
    const r2 = store.apply(r1, [kv('k05', null), kv('zz', 'end')]);
    const walk = (root: Uint8Array, interleave = false): string[] => {
      const keys: string[] = [];
      let after: Uint8Array | undefined;
      for (;;) {
        const page = store.page(root, after, 10);
        keys.push(...page.map(([k]) => Buffer.from(k).toString()));
        if (page.length < 10) return keys;
        after = page[page.length - 1]![0];
        if (interleave) store.page(root === r1 ? r2 : r1, undefined, 3); // another root's paging meanwhile
      }
    };
    const all = (root: Uint8Array) =>
      [...store.reader(root).entries(new Uint8Array(0))].map(([k]) => Buffer.from(k).toString());
    assert.deepEqual(walk(r1), all(r1));
    assert.equal(walk(r1).length, 25);
    assert.deepEqual(walk(r2), all(r2));
    assert.deepEqual(walk(r1, true), all(r1));
    assert.deepEqual(
      store.page(r1, utf8('k20'), 100).map(([k]) => Buffer.from(k).toString()),
      ['k21', 'k22', 'k23', 'k24'],
    );
  });

  it('forgets the oldest unpinned roots beyond its limit', () => {
    const store = new MemoryTreeStore(2);
    const genesis = store.apply(EMPTY_HASH, [kv('g', '0')]);
    store.pin(genesis);
    let root = genesis;
    const roots: Uint8Array[] = [];
    for (let i = 0; i < 4; i++) roots.push((root = store.apply(root, [kv('x', String(i))])));
    assert.ok(store.has(genesis));
    assert.ok(store.has(roots[3]!) && store.has(roots[2]!));
    assert.ok(!store.has(roots[0]!));
    assert.throws(
      () => store.reader(roots[0]!),
      (e: unknown) => e instanceof CodedError && e.code === RhpErrorCode.stateUnavailable,
    );
  });
});
