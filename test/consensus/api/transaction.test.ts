import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromHex, toHex } from '../../../src/codec/bytes.ts';
import { quantityToBytes } from '../../../src/codec/quantity.ts';
import {
  encodeSignedTransaction,
  encodeTransaction,
  openSignedTransaction,
  preopenSignedTransaction,
  signTransaction,
  transactionHashHex,
  transactionToCbor,
} from '../../../src/consensus/api/transaction.ts';
import { addressFromPublicKey } from '../../../src/crypto/address.ts';
import { Contexts } from '../../../src/crypto/context.ts';
import { Ed25519KeyPair } from '../../../src/crypto/ed25519.ts';
import { signValue } from '../../../src/crypto/signature.ts';
import { type AsyncVerifier, VerifyPool } from '../../../src/crypto/verify_pool.ts';
import { CodecError, CodedError } from '../../../src/errors.ts';

// Vector from ../shared/reference/oasis-client.md §2.4 (computed by @oasisprotocol/client 1.3.0).
const k1 = Ed25519KeyPair.fromSeed(new Uint8Array(32).fill(1));
const k2 = Ed25519KeyPair.fromSeed(new Uint8Array(32).fill(2));
const tx = {
  nonce: 0n,
  fee: { amount: 0n, gas: 1000n },
  method: 'staking.Transfer',
  body: { to: addressFromPublicKey(k2.publicKey), amount: quantityToBytes(1000n) },
};

describe('consensus transaction', () => {
  it('encodes the reference transfer byte for byte', () => {
    assert.equal(
      toHex(encodeTransaction(tx)),
      'a463666565a2636761731903e866616d6f756e744064626f6479a262746f55007e970ce536b580a9bd8e7a8bd4c484647223c9f866616d6f756e744203e8656e6f6e636500666d6574686f64707374616b696e672e5472616e73666572',
    );
  });

  it('signs and hashes as the official client does', () => {
    const signed = encodeSignedTransaction(signTransaction(k1, tx, 'test-chain-context'));
    assert.equal(
      transactionHashHex(signed),
      '2ed4ad509e59079e23a2318cd43ff3ffe377dcfcd39aebebf10f612d4812f75f',
    );
    assert.equal(
      toHex(signed),
      'a2697369676e6174757265a2697369676e617475726558406cb8231dd6ced0665c3ba102205885b3867d7d3285b7187e' +
        'c33a38c065db72e099bdfefcfbcaa0e86f2a0196ac7951c8bbc84692978011ccf84a14411de194096a7075626c69635f' +
        '6b657958208a88e3dd7409f195fd52db2d3cba5d72ca6709bf1d94121bf3748801b40f6f5c73756e747275737465645f' +
        '7261775f76616c7565585da463666565a2636761731903e866616d6f756e744064626f6479a262746f55007e970ce536' +
        'b580a9bd8e7a8bd4c484647223c9f866616d6f756e744203e8656e6f6e636500666d6574686f64707374616b696e672e' +
        '5472616e73666572',
    );
  });

  it('opens a signed transaction under the right chain context only', () => {
    const signed = encodeSignedTransaction(signTransaction(k1, tx, 'test-chain-context'));
    const opened = openSignedTransaction(signed, 'test-chain-context');
    assert.equal(opened.tx.method, 'staking.Transfer');
    assert.equal(opened.tx.fee?.gas, 1000n);
    assert.deepEqual(opened.signer, k1.publicKey);
    assert.throws(
      () => openSignedTransaction(signed, 'other-chain'),
      (e) => CodedError.is(e, 'signature', 1),
    );
  });

  it('rejects a tampered body', () => {
    const signed = encodeSignedTransaction(signTransaction(k1, tx, 'test-chain-context'));
    const bad = new Uint8Array(signed);
    bad[bad.length - 1] = bad[bad.length - 1]! ^ 1;
    assert.throws(() => openSignedTransaction(bad, 'test-chain-context'), CodedError);
  });

  it('rejects unknown transaction fields', () => {
    const raw = { ...transactionToCbor(tx), extra: 1 };
    const signed = encodeSignedTransaction(signValue(k1, Contexts.transaction, raw, 'test-chain-context'));
    assert.throws(() => openSignedTransaction(signed, 'test-chain-context'), CodecError);
  });

  it('rejects trailing bytes after the envelope', () => {
    const signed = encodeSignedTransaction(signTransaction(k1, tx, 'test-chain-context'));
    const trailing = new Uint8Array([...signed, 0]);
    assert.throws(() => openSignedTransaction(trailing, 'test-chain-context'), CodecError);
    assert.throws(() => openSignedTransaction(fromHex('a0'), 'test-chain-context'), CodecError);
  });

  it('pre-opens on a verification pool once, with the same outcome as opening on the spot', async () => {
    const pool = new VerifyPool();
    let calls = 0;
    const counted: AsyncVerifier = (pk, msg, sig) => {
      calls++;
      return pool.verify(pk, msg, sig);
    };
    try {
      const chain = 'preopen-chain-context';
      const good = encodeSignedTransaction(signTransaction(k1, { ...tx, nonce: 77n }, chain));
      const signed = signTransaction(k1, { ...tx, nonce: 78n }, chain);
      signed.signature.signature = signed.signature.signature.slice();
      signed.signature.signature[3]! ^= 1;
      const bad = encodeSignedTransaction(signed);
      await preopenSignedTransaction(good, chain, counted);
      await preopenSignedTransaction(good, chain, counted);
      await preopenSignedTransaction(bad, chain, counted);
      await preopenSignedTransaction(fromHex('a0'), chain, counted);
      assert.equal(calls, 2, 'the good one is verified once, the malformed one never');
      assert.deepEqual(openSignedTransaction(good, chain).signer, k1.publicKey);
      assert.equal(openSignedTransaction(good, chain).tx.nonce, 77n);
      assert.throws(
        () => openSignedTransaction(bad, chain),
        (e) => CodedError.is(e, 'signature', 1),
      );
    } finally {
      await pool.close();
    }
  });
});
