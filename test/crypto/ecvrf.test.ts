import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromHex, toHex, utf8 } from '../../src/codec/bytes.ts';
import { vrfProofToHash, vrfProve, vrfVerify } from '../../src/crypto/ecvrf.ts';
import { Ed25519KeyPair } from '../../src/crypto/ed25519.ts';

// ECVRF-EDWARDS25519-SHA512-ELL2 vectors of the IETF VRF draft (draft 10, and draft 11+ / RFC 9381
// which changed the challenge to cover the public key), as curve25519-voi's ecvrf tests carry them.
const VECTORS = [
  {
    sk: '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60',
    pk: 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    alpha: '',
    pi10: '7d9c633ffeee27349264cf5c667579fc583b4bda63ab71d001f89c10003ab46f25898f6bd7d4ed4c75f0282b0f7bb9d0e61b387b76db60b3cbf34bf09109ccb33fab742a8bddc0c8ba3caf5c0b75bb04',
    pi: '7d9c633ffeee27349264cf5c667579fc583b4bda63ab71d001f89c10003ab46f14adf9a3cd8b8412d9038531e865c341cafa73589b023d14311c331a9ad15ff2fb37831e00f0acaa6d73bc9997b06501',
    beta: '9d574bf9b8302ec0fc1e21c3ec5368269527b87b462ce36dab2d14ccf80c53cccf6758f058c5b1c856b116388152bbe509ee3b9ecfe63d93c3b4346c1fbc6c54',
  },
  {
    sk: '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb',
    pk: '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    alpha: '72',
    pi10: '47b327393ff2dd81336f8a2ef10339112401253b3c714eeda879f12c509072ef9bf1a234f833f72d8fff36075fd9b836da28b5569e74caa418bae7ef521f2ddd35f5727d271ecc70b4a83c1fc8ebc40c',
    pi: '47b327393ff2dd81336f8a2ef10339112401253b3c714eeda879f12c509072ef055b48372bb82efbdce8e10c8cb9a2f9d60e93908f93df1623ad78a86a028d6bc064dbfc75a6a57379ef855dc6733801',
    beta: '38561d6b77b71d30eb97a062168ae12b667ce5c28caccdf76bc88e093e4635987cd96814ce55b4689b3dd2947f80e59aac7b7675f8083865b46c89b2ce9cc735',
  },
  {
    sk: 'c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7',
    pk: 'fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025',
    alpha: 'af82',
    pi10: '926e895d308f5e328e7aa159c06eddbe56d06846abf5d98c2512235eaa57fdce6187befa109606682503b3a1424f0f729ca0418099fbd86a48093e6a8de26307b8d93e02da927e6dd5b73c8f119aee0f',
    pi: '926e895d308f5e328e7aa159c06eddbe56d06846abf5d98c2512235eaa57fdce35b46edfc655bc828d44ad09d1150f31374e7ef73027e14760d42e77341fe05467bb286cc2c9d7fde29120a0b2320d04',
    beta: '121b7f9b9aaaa29099fc04a94ba52784d44eac976dd1a3cca458733be5cd090a7b5fbd148444f17f8daf1fb55cb04b1ae85a626e30a54b4b0f8abf4a43314a58',
  },
];

// Encodings of points of order dividing 8, and non-canonical encodings (y ≥ p, "-0").
const SMALL_ORDER_KEYS = [
  '0100000000000000000000000000000000000000000000000000000000000000',
  '0000000000000000000000000000000000000000000000000000000000000000',
  'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  'c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a',
  '26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05',
];
const NON_CANONICAL_KEYS = [
  'edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f',
  '0100000000000000000000000000000000000000000000000000000000000080',
];

describe('ecvrf', () => {
  it('reproduces the spec vectors (prove, verify, proof to hash) in both drafts', () => {
    for (const v of VECTORS) {
      const sk = fromHex(v.sk);
      const alpha = fromHex(v.alpha);
      assert.equal(toHex(Ed25519KeyPair.fromSeed(sk).publicKey), v.pk);
      assert.equal(toHex(vrfProve(sk, alpha)), v.pi);
      assert.equal(toHex(vrfProve(sk, alpha, { draft10: true })), v.pi10);
      assert.equal(toHex(vrfVerify(fromHex(v.pk), fromHex(v.pi), alpha)!), v.beta);
      assert.equal(toHex(vrfVerify(fromHex(v.pk), fromHex(v.pi10), alpha, { draft10: true })!), v.beta);
      assert.equal(toHex(vrfProofToHash(fromHex(v.pi))!), v.beta);
      // A proof of one draft does not verify under the other.
      assert.equal(vrfVerify(fromHex(v.pk), fromHex(v.pi10), alpha), undefined);
    }
  });

  it('rejects tampered proofs, other alphas and other keys', () => {
    const v = VECTORS[1]!;
    const pk = fromHex(v.pk);
    const pi = fromHex(v.pi);
    const alpha = fromHex(v.alpha);
    for (const at of [0, 31, 32, 47, 48, 79]) {
      const bad = pi.slice();
      bad[at] = bad[at]! ^ 0x01;
      assert.equal(vrfVerify(pk, bad, alpha), undefined, `byte ${at}`);
    }
    assert.equal(vrfVerify(pk, pi, utf8('other')), undefined);
    assert.equal(vrfVerify(fromHex(VECTORS[0]!.pk), pi, alpha), undefined);
    assert.equal(vrfVerify(pk, pi.subarray(0, 79), alpha), undefined);
    // s ≥ q (s + q keeps the same value mod q) is non-canonical.
    const q = (1n << 252n) + 27742317777372353535851937790883648493n;
    let s = 0n;
    for (let i = 79; i >= 48; i--) s = (s << 8n) | BigInt(pi[i]!);
    const big = pi.slice();
    let sq = s + q;
    for (let i = 48; i < 80; i++, sq >>= 8n) big[i] = Number(sq & 0xffn);
    assert.equal(sq, 0n);
    assert.equal(vrfVerify(pk, big, alpha), undefined);
  });

  it('rejects small-order and non-canonical public keys', () => {
    const pi = fromHex(VECTORS[0]!.pi);
    for (const key of [...SMALL_ORDER_KEYS, ...NON_CANONICAL_KEYS]) {
      assert.equal(vrfVerify(fromHex(key), pi, new Uint8Array(0)), undefined, key);
    }
  });

  it('round-trips for fresh keys and gives each key its own beta', () => {
    const alpha = utf8('oasis-core:vrf/alpha test');
    const betas = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const seed = new Uint8Array(32).fill(i + 1);
      const pk = Ed25519KeyPair.fromSeed(seed).publicKey;
      const pi = vrfProve(seed, alpha);
      assert.deepEqual(vrfProve(seed, alpha), pi); // deterministic
      const beta = vrfVerify(pk, pi, alpha);
      assert.ok(beta);
      assert.equal(beta.length, 64);
      assert.deepEqual(vrfProofToHash(pi), beta);
      betas.add(toHex(beta));
    }
    assert.equal(betas.size, 3);
  });

  it('answers a repeated verification the same, and a caller changing an answer changes no later one', () => {
    const v = VECTORS[1]!;
    const [pk, pi, alpha] = [fromHex(v.pk), fromHex(v.pi), fromHex(v.alpha)];
    const first = vrfVerify(pk, pi, alpha)!;
    first.fill(0);
    assert.equal(toHex(vrfVerify(pk, pi, alpha)!), v.beta);
    const bad = fromHex(v.pi);
    bad[40]! ^= 1;
    assert.equal(vrfVerify(pk, bad, alpha), undefined);
    assert.equal(vrfVerify(pk, bad, alpha), undefined);
    assert.equal(
      vrfVerify(pk, fromHex(v.pi10), alpha),
      undefined,
      'a draft-10 proof fails the default check',
    );
    assert.equal(toHex(vrfVerify(pk, fromHex(v.pi10), alpha, { draft10: true })!), v.beta);
  });
});
