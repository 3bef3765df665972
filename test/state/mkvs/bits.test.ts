import assert from 'node:assert/strict';
import { test } from 'node:test';
import { commonPrefixBits, concatBits, getBit, hasPrefix, sliceBits } from '../../../src/state/mkvs/bits.ts';
import { prng, randomBytes } from './helpers.ts';

function bitString(bytes: Uint8Array, bits: number): string {
  let s = '';
  for (let i = 0; i < bits; i++) s += getBit(bytes, i) ? '1' : '0';
  return s;
}

test('getBit reads most-significant bit first', () => {
  assert.equal(bitString(Uint8Array.of(0b1010_0001, 0x80), 9), '101000011');
});

test('sliceBits yields canonical labels (trailing bits zero)', () => {
  const key = Uint8Array.of(0xff, 0xff);
  assert.deepEqual(sliceBits(key, 3, 8), Uint8Array.of(0b1111_1000));
  assert.deepEqual(sliceBits(key, 0, 0), new Uint8Array(0));
  assert.deepEqual(sliceBits(Uint8Array.of(0x12, 0x34), 4, 12), Uint8Array.of(0x23));
});

test('slice, concat and common prefix agree with a bit-string model', () => {
  const rand = prng(7);
  for (let round = 0; round < 500; round++) {
    const a = randomBytes(rand, 1 + rand(6));
    const aBits = a.length * 8;
    const from = rand(aBits + 1);
    const to = from + rand(aBits - from + 1);
    const slice = sliceBits(a, from, to);
    assert.equal(bitString(slice, to - from), bitString(a, aBits).slice(from, to));
    assert.equal(slice.length, Math.ceil((to - from) / 8));
    if ((to - from) % 8 !== 0) assert.equal(slice[slice.length - 1]! & (0xff >> ((to - from) % 8)), 0);

    const b = randomBytes(rand, 1 + rand(6));
    const bBits = rand(b.length * 8 + 1);
    const joined = concatBits(slice, to - from, sliceBits(b, 0, bBits), bBits);
    assert.equal(bitString(joined, to - from + bBits), bitString(slice, to - from) + bitString(b, bBits));
    assert.equal(joined.length, Math.ceil((to - from + bBits) / 8));

    // Common prefix of a[from..] and a copy of it with one bit flipped at `flip`.
    const copy = new Uint8Array(a);
    const flip = from + rand(aBits - from + 1);
    if (flip < aBits) copy[flip >> 3]! ^= 0x80 >> (flip & 7);
    const expected = flip - from;
    assert.equal(commonPrefixBits(a, from, aBits - from, copy, from, aBits - from), expected);
    assert.equal(commonPrefixBits(slice, 0, to - from, a, from, aBits - from), to - from);
  }
});

test('hasPrefix', () => {
  assert.equal(hasPrefix(Uint8Array.of(1, 2, 3), Uint8Array.of(1, 2)), true);
  assert.equal(hasPrefix(Uint8Array.of(1), Uint8Array.of(1, 2)), false);
  assert.equal(hasPrefix(Uint8Array.of(1, 3), Uint8Array.of(1, 2)), false);
  assert.equal(hasPrefix(Uint8Array.of(1), new Uint8Array(0)), true);
});
