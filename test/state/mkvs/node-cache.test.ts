import assert from 'node:assert/strict';
import { test } from 'node:test';
import { utf8 } from '../../../src/codec/bytes.ts';
import { NodeRef, newLeaf } from '../../../src/state/mkvs/node.ts';
import { NodeCache } from '../../../src/state/mkvs/node-cache.ts';

function cachedRef(cache: NodeCache, i: number): NodeRef {
  const ref = new NodeRef(Uint8Array.of(i), newLeaf(utf8(`k${i}`), utf8('v')));
  cache.admit(ref);
  return ref;
}

test('the cache never holds more than its capacity', () => {
  const cache = new NodeCache(10);
  const refs = Array.from({ length: 100 }, (_, i) => cachedRef(cache, i));
  assert.equal(cache.size, 10);
  assert.equal(refs.filter((r) => r.node !== undefined).length, 10);
  // The most recent admissions are the ones kept when nothing was read.
  assert.ok(refs.slice(90).every((r) => r.node !== undefined));
  // Admitting a ref twice does not take a second slot.
  cache.admit(refs[99]!);
  assert.equal(cache.size, 10);
});

test('refs read since the hand last passed get a second chance', () => {
  const cache = new NodeCache(4);
  const refs = Array.from({ length: 4 }, (_, i) => cachedRef(cache, i));
  refs[0]!.used = true;
  refs[2]!.used = true;
  cachedRef(cache, 4);
  cachedRef(cache, 5);
  assert.notEqual(refs[0]!.node, undefined);
  assert.notEqual(refs[2]!.node, undefined);
  assert.equal(refs[1]!.node, undefined);
  assert.equal(refs[3]!.node, undefined);
  assert.equal(cache.size, 4);
});

test('clear drops every cached node', () => {
  const cache = new NodeCache(8);
  const refs = Array.from({ length: 5 }, (_, i) => cachedRef(cache, i));
  cache.clear();
  assert.equal(cache.size, 0);
  assert.ok(refs.every((r) => r.node === undefined && r.slot === -1));
  cachedRef(cache, 9);
  assert.equal(cache.size, 1);
});
