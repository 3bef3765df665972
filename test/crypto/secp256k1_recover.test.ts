import assert from 'node:assert/strict';
import { it } from 'node:test';
import { ecrecover as ethereumjsEcrecover } from '@ethereumjs/util';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { ecrecover } from '../../src/crypto/secp256k1_recover.ts';

/** A deterministic test key and message hash per index. */
function signed(i: number) {
  const key = new Uint8Array(32).fill(i + 1);
  const hash = new Uint8Array(32).map((_, j) => (j * 7 + i) & 0xff);
  const sig = secp256k1.sign(hash, key, { prehash: false, format: 'recovered' });
  return { hash, recovery: BigInt(sig[0]!), r: sig.slice(1, 33), s: sig.slice(33, 65), key };
}

it('recovers the same public key as @ethereumjs for legacy, EIP-155 and typed signatures', () => {
  for (let i = 0; i < 40; i++) {
    const { hash, recovery, r, s, key } = signed(i);
    const expected = secp256k1.getPublicKey(key, false).subarray(1);
    const chainId = 0x5afen;
    const cases: Array<[bigint, bigint | undefined]> = [
      [recovery, undefined], // typed: v is the parity
      [27n + recovery, undefined], // legacy
      [chainId * 2n + 35n + recovery, chainId], // EIP-155
    ];
    for (const [v, chain] of cases) {
      const got = ecrecover(hash, v, r, s, chain);
      assert.deepEqual(got, expected);
      assert.deepEqual(got, ethereumjsEcrecover(hash, v, r, s, chain));
    }
    // Leading zero bytes of r or s come unpadded from RLP: padded back to 32 bytes.
    const unpadded = (b: Uint8Array) => b.subarray(b.findIndex((x) => x !== 0));
    assert.deepEqual(ecrecover(hash, recovery, unpadded(r), unpadded(s)), expected);
  }
});

it('refuses what @ethereumjs refuses: a v of no recovery id, a zero or oversized component', () => {
  const { hash, r, s } = signed(1);
  for (const v of [2n, 26n, 29n, 0x5afen * 2n + 37n]) {
    assert.throws(() => ecrecover(hash, v, r, s, v > 100n ? 0x5afen : undefined));
    assert.throws(() => ethereumjsEcrecover(hash, v, r, s, v > 100n ? 0x5afen : undefined));
  }
  assert.throws(() => ecrecover(hash, 0n, new Uint8Array(32), s));
  assert.throws(() => ecrecover(hash, 0n, new Uint8Array(33).fill(1), s));
});
