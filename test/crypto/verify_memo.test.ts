import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { utf8 } from '../../src/codec/bytes.ts';
import { Ed25519KeyPair, useVerifyMemo, verifyRaw } from '../../src/crypto/ed25519.ts';

const key = Ed25519KeyPair.fromSeed(new Uint8Array(32).fill(7));
const other = Ed25519KeyPair.fromSeed(new Uint8Array(32).fill(9));

describe('verification memo (simulator only)', () => {
  afterEach(() => useVerifyMemo(false));

  for (const own of [false, true]) {
    it(`never turns a bad signature good (own signatures trusted: ${own})`, () => {
      useVerifyMemo(true, own);
      const msg = utf8('vote');
      const sig = key.signRaw(msg);
      assert.equal(verifyRaw(key.publicKey, msg, sig), true);
      assert.equal(verifyRaw(key.publicKey, msg, sig), true);
      const tampered = sig.slice();
      tampered[5]! ^= 1;
      assert.equal(verifyRaw(key.publicKey, msg, tampered), false);
      assert.equal(verifyRaw(key.publicKey, utf8('vote!'), sig), false);
      assert.equal(verifyRaw(other.publicKey, msg, sig), false);
      // Asked again, the memo answers as a full verification did.
      assert.equal(verifyRaw(key.publicKey, msg, tampered), false);
    });
  }

  it('answers exactly as without it over many messages', () => {
    const cases = Array.from({ length: 50 }, (_, i) => {
      const msg = utf8(`m${i}`);
      const sig = (i % 2 === 0 ? key : other).signRaw(msg);
      if (i % 3 === 0) sig[40]! ^= 0x10;
      return { msg, sig, pk: i % 5 === 0 ? other.publicKey : key.publicKey };
    });
    const plain = cases.map((c) => verifyRaw(c.pk, c.msg, c.sig));
    useVerifyMemo(true);
    assert.deepEqual(
      cases.map((c) => verifyRaw(c.pk, c.msg, c.sig)),
      plain,
    );
    assert.deepEqual(
      cases.map((c) => verifyRaw(c.pk, c.msg, c.sig)),
      plain,
    );
    assert.ok(plain.includes(true) && plain.includes(false));
  });
});
