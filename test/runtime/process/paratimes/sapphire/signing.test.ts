import assert from 'node:assert/strict';
import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import { describe, it } from 'node:test';
import { sha256, sha384, sha512 } from '@noble/hashes/sha2.js';
import { keccak256, Signature, SigningKey } from 'ethers';
import { fromHex, toHex, utf8 } from '../../../../../src/codec/bytes.ts';
import { signerMessage } from '../../../../../src/crypto/context.ts';
import { verifyRaw } from '../../../../../src/crypto/ed25519.ts';
import {
  generateKeyPair,
  SigningAlg,
  SigningError,
  sign,
  verify,
} from '../../../../../src/runtime/process/paratimes/sapphire/signing.ts';

const EMPTY = new Uint8Array(0);

/** A Node KeyObject for a compressed NIST public key (SPKI DER around the SEC1 point). */
function nistKey(curveOid: string, point: Uint8Array) {
  const oids = fromHex(`06072a8648ce3d0201${curveOid}`);
  const algId = new Uint8Array([0x30, oids.length, ...oids]);
  const bitString = new Uint8Array([0x03, point.length + 1, 0x00, ...point]);
  const body = new Uint8Array([...algId, ...bitString]);
  return createPublicKey({ key: Buffer.from([0x30, body.length, ...body]), format: 'der', type: 'spki' });
}
const P256_OID = '06082a8648ce3d030107';
const P384_OID = '06052b81040022';

describe('Sapphire signing schemes', () => {
  it('Ed25519 pure matches RFC 8032 test 1', () => {
    const seed = fromHex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60');
    const pair = generateKeyPair(SigningAlg.Ed25519Pure, seed);
    assert.equal(toHex(pair.publicKey), 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
    assert.deepEqual(pair.secretKey, seed);
    const sig = sign(SigningAlg.Ed25519Pure, seed, EMPTY, EMPTY);
    assert.equal(
      toHex(sig),
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
    );
    assert.ok(verify(SigningAlg.Ed25519Pure, pair.publicKey, EMPTY, EMPTY, sig));
    assert.ok(!verify(SigningAlg.Ed25519Pure, pair.publicKey, EMPTY, utf8('x'), sig));
  });

  it('Ed25519 prehashed takes the SHA-512 digest (RFC 8032 Ed25519ph "abc")', () => {
    const seed = fromHex('833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42');
    const pair = generateKeyPair(SigningAlg.Ed25519PrehashedSha512, seed);
    assert.equal(toHex(pair.publicKey), 'ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf');
    const digest = sha512(utf8('abc'));
    const sig = sign(SigningAlg.Ed25519PrehashedSha512, seed, digest, EMPTY);
    assert.equal(
      toHex(sig),
      '98a70222f0b8121aa9d30f813d683f809e462b469c7ff87639499bb94e6dae4131f85042463c2a355a2003d062adf5aaa10b8c61e636062aaad11c2a26083406',
    );
    assert.ok(verify(SigningAlg.Ed25519PrehashedSha512, pair.publicKey, digest, EMPTY, sig));
    assert.ok(!verify(SigningAlg.Ed25519PrehashedSha512, pair.publicKey, digest.subarray(1), EMPTY, sig));
    assert.throws(
      () => sign(SigningAlg.Ed25519PrehashedSha512, seed, digest.subarray(1), EMPTY),
      SigningError,
    );
  });

  it('Ed25519 Oasis signs SHA-512/256(context ‖ message) as oasis-core does', () => {
    const seed = new Uint8Array(32).fill(7);
    const pair = generateKeyPair(SigningAlg.Ed25519Oasis, seed);
    const context = 'oasis-core/test: ctx';
    const sig = sign(SigningAlg.Ed25519Oasis, seed, utf8(context), utf8('message'));
    assert.ok(verifyRaw(pair.publicKey, signerMessage(context, utf8('message')), sig));
    assert.ok(verify(SigningAlg.Ed25519Oasis, pair.publicKey, utf8(context), utf8('message'), sig));
    assert.ok(!verify(SigningAlg.Ed25519Oasis, pair.publicKey, utf8('other'), utf8('message'), sig));
  });

  it('Secp256k1 prehashed Keccak-256 gives ethers’ RFC 6979 low-S signature, DER-encoded', () => {
    const secret = fromHex(keccak256(utf8('k1 key')).slice(2));
    const pair = generateKeyPair(SigningAlg.Secp256k1PrehashedKeccak256, secret);
    const key = new SigningKey(secret);
    assert.equal(`0x${toHex(pair.publicKey)}`, key.compressedPublicKey);
    const digest = fromHex(keccak256(utf8('hello')).slice(2));
    const der = sign(SigningAlg.Secp256k1PrehashedKeccak256, secret, digest, EMPTY);
    const expected = Signature.from(key.sign(digest));
    // DER: 30 len 02 rlen r 02 slen s
    const rLen = der[3]!;
    const r = BigInt(`0x${toHex(der.subarray(4, 4 + rLen))}`);
    const s = BigInt(`0x${toHex(der.subarray(6 + rLen))}`);
    assert.equal(r, BigInt(expected.r));
    assert.equal(s, BigInt(expected.s));
    assert.ok(verify(SigningAlg.Secp256k1PrehashedKeccak256, pair.publicKey, digest, EMPTY, der));
    assert.ok(verify(SigningAlg.Secp256k1PrehashedSha256, pair.publicKey, digest, EMPTY, der));
    assert.ok(!verify(SigningAlg.Secp256k1PrehashedKeccak256, pair.publicKey, sha256(digest), EMPTY, der));
  });

  it('Secp256k1 Oasis round-trips and binds the context', () => {
    const secret = new Uint8Array(32).fill(9);
    const pair = generateKeyPair(SigningAlg.Secp256k1Oasis, secret);
    const sig = sign(SigningAlg.Secp256k1Oasis, secret, utf8('ctx'), utf8('msg'));
    assert.ok(verify(SigningAlg.Secp256k1Oasis, pair.publicKey, utf8('ctx'), utf8('msg'), sig));
    assert.ok(!verify(SigningAlg.Secp256k1Oasis, pair.publicKey, utf8('ctx2'), utf8('msg'), sig));
  });

  it('Secp256r1 and Secp384r1 signatures over the digest verify with Node’s OpenSSL over the message', () => {
    for (const [alg, oid, hashName, hash, seedLength] of [
      [SigningAlg.Secp256r1PrehashedSha256, P256_OID, 'sha256', sha256, 32],
      [SigningAlg.Secp384r1PrehashedSha384, P384_OID, 'sha384', sha384, 48],
    ] as const) {
      const seed = new Uint8Array(seedLength).fill(3);
      const pair = generateKeyPair(alg, seed);
      assert.equal(pair.publicKey.length, seedLength + 1, 'compressed point');
      const message = utf8('nist message');
      const sig = sign(alg, seed, hash(message), EMPTY);
      const publicKey = nistKey(oid, pair.publicKey);
      assert.ok(nodeVerify(hashName, message, { key: publicKey, dsaEncoding: 'der' }, sig));
      assert.ok(verify(alg, pair.publicKey, hash(message), EMPTY, sig));
      assert.ok(!verify(alg, pair.publicKey, hash(utf8('other')), EMPTY, sig));
    }
    assert.throws(
      () => generateKeyPair(SigningAlg.Secp256r1PrehashedSha256, new Uint8Array(32)),
      SigningError,
    );
  });

  it('refuses unknown schemes, Sr25519, bad seeds and unreadable public keys with SigningError', () => {
    assert.throws(() => generateKeyPair(50, new Uint8Array(32)), SigningError);
    assert.throws(() => generateKeyPair(SigningAlg.Sr25519, new Uint8Array(32)), SigningError);
    assert.throws(() => generateKeyPair(SigningAlg.Ed25519Oasis, new Uint8Array(31)), SigningError);
    assert.throws(
      () => verify(SigningAlg.Secp256k1Oasis, new Uint8Array(33), EMPTY, EMPTY, EMPTY),
      SigningError,
    );
  });
});
