import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromBase64, fromHex, toBase64 } from '../../src/codec/bytes.ts';
import { decodeCanonical, encodeCanonical } from '../../src/codec/cbor.ts';
import {
  arrayOf,
  bytes,
  enumOf,
  i64,
  int,
  mapOf,
  optional,
  struct,
  text,
  U64_MAX,
  u64,
  uint,
} from '../../src/codec/schema.ts';
import { CodecError } from '../../src/errors.ts';

const decode = (hex: string) => decodeCanonical(fromHex(hex));

describe('strict typed decoders', () => {
  it('integers stay within their ranges', () => {
    assert.equal(u64(decode('1bffffffffffffffff'), 'n'), U64_MAX);
    assert.equal(u64(decode('00'), 'n'), 0n);
    assert.throws(() => u64(decode('20'), 'n'), CodecError); // -1
    assert.throws(() => u64(decode('f93e00'), 'n'), CodecError); // 1.5
    assert.throws(() => uint(decode('1b0020000000000000'), 'n'), /below 2\^53/);
    assert.equal(int(decode('20'), 'n'), -1);
    assert.equal(i64(decode('3b7fffffffffffffff'), 'n'), -(1n << 63n));
    assert.throws(() => i64(decode('3bffffffffffffffff'), 'n'), CodecError); // -2^64
    assert.throws(() => u64('1' as never, 'n'), /expected an unsigned 64-bit integer, got string/);
  });

  it('floats holding integers and invalid UTF-8 never reach a decoder (not canonical)', () => {
    assert.throws(() => decode('f93c00'), /non-canonical/); // 1.0 as float16
    assert.throws(() => decode('62c328'), CodecError); // invalid UTF-8 text
  });

  it('structs reject unknown and missing fields, naming the path', () => {
    const spec = struct({ a: uint, b: optional(text), c: struct({ d: bytes(2) }) });
    const ok = spec(decodeCanonical(encodeCanonical({ a: 1, c: { d: Uint8Array.of(1, 2) } })), 'x');
    assert.deepEqual({ ...ok, c: { ...ok.c } }, { a: 1, c: { d: Uint8Array.of(1, 2) } });
    assert.throws(
      () => spec(decodeCanonical(encodeCanonical({ a: 1, c: { d: Uint8Array.of(1, 2) }, z: 0 })), 'x'),
      (e: Error) => e instanceof CodecError && e.path === 'x.z' && /unknown field/.test(e.message),
    );
    assert.throws(
      () => spec(decodeCanonical(encodeCanonical({ a: 1 })), 'x'),
      /x\.c: missing required field/,
    );
    assert.throws(
      () => spec(decodeCanonical(encodeCanonical({ a: 1, c: { d: Uint8Array.of(1) } })), 'x'),
      /x\.c\.d: expected 2 bytes, got 1/,
    );
    assert.throws(() => spec(decodeCanonical(encodeCanonical([1])), 'x'), /expected a map, got array/);
    assert.throws(() => spec(decodeCanonical(encodeCanonical(new Map([[1, 2]]))), 'x'), /not a text string/);
  });

  it('arrays, maps and enums', () => {
    assert.deepEqual(arrayOf(uint, 3)(decode('83010203'), 'a'), [1, 2, 3]);
    assert.throws(() => arrayOf(uint, 2)(decode('83010203'), 'a'), /exceeds 2/);
    assert.throws(() => arrayOf(uint)(decode('8201f5'), 'a'), /a\[1\]/);
    const m = new Map([[Uint8Array.of(1), 5]]);
    const entries = mapOf(bytes(1), uint)(decodeCanonical(encodeCanonical(m)), 'm');
    assert.deepEqual(entries, [[Uint8Array.of(1), 5]]);
    assert.equal(enumOf([1, 2, 4])(decode('04'), 'e'), 4);
    assert.throws(() => enumOf([1, 2, 4])(decode('03'), 'e'), /unexpected value 3/);
  });

  it('base64 and hex helpers accept only canonical text', () => {
    assert.equal(toBase64(fromBase64('AQID')), 'AQID');
    for (const bad of ['AQI', 'AQID=', 'AQ ID', '****'])
      assert.throws(() => fromBase64(bad), /invalid base64/, bad);
    assert.throws(() => fromHex('abc'), /invalid hex/);
    assert.throws(() => fromHex('zz'), /invalid hex/);
  });
});
