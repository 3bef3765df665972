import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { fromHex, toHex, utf8 } from '../../src/codec/bytes.ts';
import { leftEncode, rightEncode, shake256, tupleHash256 } from '../../src/crypto/tuplehash.ts';

// NIST SP 800-185 TupleHash256 samples (TupleHash_samples.pdf, samples #4–#6), L = 512 bits.
const X1 = fromHex('000102');
const X2 = fromHex('101112131415');
const X3 = fromHex('202122232425262728');
const SAMPLES = [
  {
    s: '',
    x: [X1, X2],
    out: 'cfb7058caca5e668f81a12a20a2195ce97a925f1dba3e7449a56f82201ec607311ac2696b1ab5ea2352df1423bde7bd4bb78c9aed1a853c78672f9eb23bbe194',
  },
  {
    s: 'My Tuple App',
    x: [X1, X2],
    out: '147c2191d5ed7efd98dbd96d7ab5a11692576f5fe2a5065f3e33de6bba9f3aa1c4e9a068a289c61c95aab30aee1e410b0b607de3620e24a4e3bf9852a1d4367e',
  },
  {
    s: 'My Tuple App',
    x: [X1, X2, X3],
    out: '45000be63f9b6bfd89f54717670f69a9bc763591a4f05c50d68891a744bcc6e7d6d5b5e82c018da999ed35b0bb49c9678e526abd8e85c13ed254021db9e790ce',
  },
];

describe('tuplehash', () => {
  it('matches the NIST TupleHash256 samples', () => {
    for (const v of SAMPLES) assert.equal(toHex(tupleHash256(utf8(v.s), v.x, 64)), v.out);
  });

  it('left/right encode integers as SP 800-185 does', () => {
    assert.equal(toHex(leftEncode(0n)), '0100');
    assert.equal(toHex(leftEncode(256n)), '020100');
    assert.equal(toHex(leftEncode(0xdeadbeefn)), '04deadbeef');
    assert.equal(toHex(leftEncode((1n << 64n) - 1n)), '08ffffffffffffffff');
    assert.equal(toHex(rightEncode(0n)), '0001');
    assert.equal(toHex(rightEncode(256n)), '010002');
    assert.equal(toHex(rightEncode(0xfacaden)), 'facade03');
  });

  it('its Keccak permutation agrees with node:crypto SHAKE256 across block boundaries', () => {
    for (const len of [0, 1, 135, 136, 137, 300]) {
      const data = Uint8Array.from({ length: len }, (_, i) => (i * 7 + 3) & 0xff);
      const expected = createHash('shake256', { outputLength: 200 }).update(data).digest('hex');
      assert.equal(toHex(shake256(data, 200)), expected, `length ${len}`);
    }
  });

  it('separates tuples that concatenate to the same bytes', () => {
    const a = tupleHash256(utf8('c'), [fromHex('0001'), fromHex('02')]);
    const b = tupleHash256(utf8('c'), [fromHex('00'), fromHex('0102')]);
    assert.equal(a.length, 32);
    assert.notEqual(toHex(a), toHex(b));
  });
});
