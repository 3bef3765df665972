import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromHex, toHex } from '../../src/codec/bytes.ts';
import { decodeCanonical, encodeCanonical } from '../../src/codec/cbor.ts';
import { checkCborStructure } from '../../src/codec/cbor_scan.ts';
import { CodecError } from '../../src/errors.ts';
import { assertValueOrCoded, mutate, Prng } from './fuzz_helpers.ts';

/** A map key of every kind the scan orders: integers either side of each length step, strings, bytes. */
function randomKey(rng: Prng): unknown {
  const sizes = [0, 23, 24, 255, 256, 65535, 65536, 2 ** 32 - 1, 2 ** 32];
  switch (rng.int(5)) {
    case 0:
      return rng.pick(sizes) + rng.int(2);
    case 1:
      return -1 - (rng.pick(sizes) + rng.int(2));
    case 2:
      return (1n << 60n) + BigInt(rng.int(3));
    case 3:
      return `k${'x'.repeat(rng.int(30))}${rng.int(4)}`;
    default:
      return rng.bytes(rng.int(30));
  }
}

/** A map with mixed key kinds (or an object with string keys), possibly nested. */
function randomMap(rng: Prng, depth: number): unknown {
  if (rng.int(3) === 0) {
    const obj: Record<string, unknown> = {};
    for (let i = rng.int(6); i > 0; i--) obj[`f${'y'.repeat(rng.int(25))}`] = rng.int(1000);
    return obj;
  }
  const map = new Map<unknown, unknown>();
  const keys = new Set<string>();
  for (let i = 1 + rng.int(6); i > 0; i--) {
    const key = randomKey(rng);
    // Equal byte strings are different Map keys but one CBOR key (a duplicate): keep the first.
    const encoded = toHex(encodeCanonical(key));
    if (keys.has(encoded)) continue;
    keys.add(encoded);
    map.set(key, depth > 0 && rng.int(3) === 0 ? randomMap(rng, depth - 1) : rng.bytes(rng.int(4)));
  }
  return map;
}

describe('CBOR pre-scan canonical proof', () => {
  it('proves our own encodings of integers, strings, bytes, maps and false/true/null', () => {
    const value = {
      nonce: 7n,
      fee: { amount: fromHex('0100'), gas: 2000n },
      method: 'staking.Transfer',
      body: new Map<unknown, unknown>([
        [1, null],
        [-3, true],
        ['x', false],
        [fromHex('ff'), [2 ** 40, -(2 ** 33), 'ascii']],
      ]),
    };
    assert.equal(checkCborStructure(encodeCanonical(value)), true);
  });

  it('leaves floats, other simple values, non-ASCII text and unsorted or non-minimal forms unproven', () => {
    for (const hex of [
      'f93e00', // float16 1.5
      'fa47c35000', // float32
      'f0', // simple value 16
      '63e282ac', // "€"
      'a2616202616101', // keys out of order
      'a2616101616102', // duplicate keys
      'a20102200a', // 1 before -1: major order kept, so proven; checked below
      '1817', // 23 in two bytes
      '5800', // empty byte string with a one-byte length
    ]) {
      const proven = checkCborStructure(fromHex(hex));
      assert.equal(proven, hex === 'a20102200a', hex);
    }
  });

  it('accepts only what re-encodes to the same bytes, for mutated maps of mixed key kinds', () => {
    const rng = new Prng(11);
    let proven = 0;
    let accepted = 0;
    for (let i = 0; i < 4000; i++) {
      const canonical = encodeCanonical(randomMap(rng, 2));
      assert.equal(checkCborStructure(canonical), true, `iteration ${i}: own encoding not proven`);
      const input = mutate(rng, canonical);
      let scan: boolean;
      try {
        scan = checkCborStructure(input);
      } catch {
        scan = false;
      }
      const result = assertValueOrCoded(() => decodeCanonical(input), `iteration ${i}`);
      if (result instanceof CodecError) {
        continue;
      }
      accepted++;
      if (scan) proven++;
      assert.equal(toHex(encodeCanonical(result)), toHex(input), `iteration ${i}: accepted non-canonical`);
    }
    assert.ok(accepted > 300 && proven > 300, `accepted ${accepted}, proven ${proven}`);
  });
});
