import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromHex, toHex } from '../../src/codec/bytes.ts';
import { decodeCanonical } from '../../src/codec/cbor.ts';
import { parseQuantity, quantity, quantityFromBytes, quantityToBytes } from '../../src/codec/quantity.ts';
import { CodecError } from '../../src/errors.ts';
import { Prng } from './fuzz_helpers.ts';

describe('quantities', () => {
  it('encode as minimal big-endian bytes, zero as the empty string', () => {
    assert.equal(toHex(quantityToBytes(0n)), '');
    assert.equal(toHex(quantityToBytes(1000n)), '03e8');
    assert.equal(toHex(quantityToBytes(10n ** 18n)), '0de0b6b3a7640000');
    assert.equal(toHex(quantityToBytes(255n)), 'ff');
    assert.equal(toHex(quantityToBytes(256n)), '0100');
    assert.throws(() => quantityToBytes(-1n), RangeError);
  });

  it('round-trip random values up to 256 bits', () => {
    const rng = new Prng(61);
    for (let i = 0; i < 1000; i++) {
      const bytes = rng.bytes(1 + rng.int(32));
      const value = BigInt(`0x${toHex(bytes)}`);
      assert.equal(quantityFromBytes(quantityToBytes(value)), value);
    }
  });

  it('reject leading zero bytes, more than 32 bytes and non-byte-strings', () => {
    assert.throws(() => quantityFromBytes(fromHex('0001')), /leading zero/);
    assert.throws(() => quantityFromBytes(fromHex('00')), /leading zero/);
    assert.throws(() => quantityFromBytes(new Uint8Array(33).fill(1)), /longer than 32/);
    assert.throws(() => quantity(decodeCanonical(fromHex('01')), 'amount'), CodecError);
    assert.equal(quantity(decodeCanonical(fromHex('4203e8')), 'amount'), 1000n);
  });

  it('parse decimal amounts only', () => {
    assert.equal(parseQuantity('1000000000000000000000'), 10n ** 21n);
    for (const bad of ['', '-1', '1e3', '0x10', ' 1', '1.5'])
      assert.throws(() => parseQuantity(bad), RangeError, bad);
  });
});
