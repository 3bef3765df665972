import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromHex, toHex } from '../../src/codec/bytes.ts';
import { decodeCanonical, encodeCanonical, MAX_NESTING_DEPTH } from '../../src/codec/cbor.ts';
import { CodecError } from '../../src/errors.ts';
import { assertValueOrCoded, mutate, Prng } from './fuzz_helpers.ts';

/** A random CBOR-encodable value of bounded size. */
function randomValue(rng: Prng, depth: number): unknown {
  const kind = rng.int(depth <= 0 ? 7 : 10);
  switch (kind) {
    case 0:
      return rng.int(1 << 30);
    case 1:
      return (BigInt(rng.u32()) << 32n) | BigInt(rng.u32());
    case 2:
      return -1 - rng.int(1 << 20);
    case 3:
      return rng.bytes(rng.int(40));
    case 4:
      return Buffer.from(rng.bytes(rng.int(12))).toString('hex');
    case 5:
      return rng.pick([true, false, null]);
    case 6:
      return rng.pick([0.5, 1.5, -2.25, 1e10 + 0.5, 3.4e38]);
    case 7:
      return Array.from({ length: rng.int(5) }, () => randomValue(rng, depth - 1));
    case 8: {
      const obj: Record<string, unknown> = {};
      for (let i = rng.int(5); i > 0; i--) obj[`k${rng.int(50)}`] = randomValue(rng, depth - 1);
      return obj;
    }
    default: {
      const map = new Map<unknown, unknown>();
      for (let i = 1 + rng.int(4); i > 0; i--)
        map.set(rng.bytes(1 + rng.int(4)), randomValue(rng, depth - 1));
      return map;
    }
  }
}

describe('canonical CBOR decoder under fuzzing', () => {
  it('round-trips thousands of random structures byte for byte', () => {
    const rng = new Prng(1);
    for (let i = 0; i < 3000; i++) {
      const encoded = encodeCanonical(randomValue(rng, 4));
      const decoded = decodeCanonical(encoded);
      assert.equal(toHex(encodeCanonical(decoded)), toHex(encoded), `iteration ${i}`);
    }
  });

  it('answers every mutated input with a value or a CodecError, and accepted input is canonical', () => {
    const rng = new Prng(2);
    let accepted = 0;
    let rejected = 0;
    for (let i = 0; i < 6000; i++) {
      const input = mutate(rng, encodeCanonical(randomValue(rng, 3)));
      const result = assertValueOrCoded(() => decodeCanonical(input), `iteration ${i}`);
      if (result instanceof CodecError) rejected++;
      else {
        accepted++;
        assert.equal(toHex(encodeCanonical(result)), toHex(input), `iteration ${i}: non-canonical`);
      }
    }
    // Both outcomes must be exercised, or the mutator is not doing its job.
    assert.ok(accepted > 300 && rejected > 3000, `accepted ${accepted}, rejected ${rejected}`);
  });

  it('answers pure random bytes with a value or a CodecError', () => {
    const rng = new Prng(3);
    for (let i = 0; i < 5000; i++) {
      const input = rng.bytes(1 + rng.int(64));
      assertValueOrCoded(() => decodeCanonical(input), `iteration ${i}`);
    }
  });

  it('rejects non-canonical forms oasis-core rejects', () => {
    const cases: Array<[string, string]> = [
      ['1817', 'integer 23 in two bytes'],
      ['190017', 'integer in a longer form'],
      ['a2616202616101', 'keys out of order'],
      ['a2616101616102', 'duplicate keys'],
      ['9f00ff', 'indefinite-length array'],
      ['c240', 'tag'],
      ['f7', 'undefined'],
      ['0000', 'trailing bytes'],
      ['fa3fc00000', 'float32 that fits float16'],
    ];
    for (const [hex, what] of cases) {
      assert.throws(() => decodeCanonical(fromHex(hex)), CodecError, what);
    }
  });

  // "Fast" is structural, not timed: the iterative pre-scan must be what rejects these (its messages), so
  // neither the recursive decoder nor an allocation of the claimed size is ever reached. The timeout only
  // guards against a hang.
  it(`accepts ${MAX_NESTING_DEPTH} levels of nesting and rejects one more, at any depth`, {
    timeout: 10_000,
  }, () => {
    const nested = (levels: number, header: number) => {
      const step = header === 0xa1 ? 2 : 1; // a map level is {0: <next>}
      const out = new Uint8Array(levels * step + 1); // ends with the leaf 0x00
      for (let i = 0; i < levels; i++) out[i * step] = header;
      return out;
    };
    assert.ok(Array.isArray(decodeCanonical(nested(MAX_NESTING_DEPTH, 0x81))));
    for (const header of [0x81, 0xa1]) {
      for (const levels of [MAX_NESTING_DEPTH + 1, 10_000, 1_000_000]) {
        const input = nested(levels, header);
        assert.throws(() => decodeCanonical(input), /CBOR nested deeper than 32 levels/, `${levels} levels`);
      }
    }
  });

  it('rejects length-prefix bombs before allocating anything', { timeout: 10_000 }, () => {
    const bombs = [
      '5b7fffffffffffffff', // byte string claiming 2^63-1 bytes
      '5bffffffffffffffff',
      '7b7fffffffffffffff', // text string
      '9b7fffffffffffffff', // array of 2^63-1 items
      'bbffffffffffffffff', // map
      '9a7fffffff00', // array of 2^31-1 items with one present
      '5a0000ffff0102', // 65535-byte string with 2 present
      '81818181815b7fffffffffffffff', // bomb inside nesting
    ];
    for (const hex of bombs) {
      assert.throws(() => decodeCanonical(fromHex(hex)), /exceeds the/, hex);
    }
  });

  it('rejects empty and oversize input', () => {
    assert.throws(() => decodeCanonical(new Uint8Array(0)), CodecError);
    assert.throws(() => decodeCanonical(new Uint8Array(101), 100), /exceeds the limit/);
  });
});
