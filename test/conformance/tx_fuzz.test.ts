import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type CborValue, decodeCanonical, encodeCanonical } from '../../src/codec/cbor.ts';
import { quantityToBytes } from '../../src/codec/quantity.ts';
import {
  encodeSignedTransaction,
  openSignedTransaction,
  signTransaction,
  type Transaction,
  transactionDecoder,
} from '../../src/consensus/api/transaction.ts';
import { addressFromPublicKey } from '../../src/crypto/address.ts';
import { Contexts } from '../../src/crypto/context.ts';
import { Ed25519KeyPair } from '../../src/crypto/ed25519.ts';
import { signBytes, signedDecoder } from '../../src/crypto/signature.ts';
import { CodedError } from '../../src/errors.ts';
import { assertValueOrCoded, mutate, Prng } from '../codec/fuzz_helpers.ts';

const CHAIN = 'fuzz-chain-context';
const signer = Ed25519KeyPair.fromSeed(new Uint8Array(32).fill(7));
const to = addressFromPublicKey(Ed25519KeyPair.fromSeed(new Uint8Array(32).fill(8)).publicKey);

function randomTx(rng: Prng): Transaction {
  const tx: Transaction = {
    nonce: rng.chance(0.1) ? (1n << 64n) - 1n : BigInt(rng.int(1000)),
    method: rng.pick(['staking.Transfer', 'staking.Burn', 'staking.AddEscrow', 'registry.RegisterEntity']),
  };
  if (rng.chance(0.8)) tx.fee = { amount: BigInt(rng.u32()), gas: BigInt(rng.int(100000)) };
  if (rng.chance(0.9)) tx.body = { to, amount: quantityToBytes(BigInt(rng.u32())) };
  return tx;
}

/** Signs arbitrary bytes as a transaction payload, so the opener gets past the signature to the decoder. */
function signRaw(raw: Uint8Array): Uint8Array {
  return encodeCanonical({
    untrusted_raw_value: raw,
    signature: signBytes(signer, Contexts.transaction, raw, CHAIN),
  });
}

describe('openSignedTransaction under fuzzing', () => {
  it('opens every valid random transaction with its fields intact', () => {
    const rng = new Prng(11);
    for (let i = 0; i < 300; i++) {
      const tx = randomTx(rng);
      const opened = openSignedTransaction(
        encodeSignedTransaction(signTransaction(signer, tx, CHAIN)),
        CHAIN,
      );
      assert.deepEqual(opened.tx.nonce, tx.nonce);
      assert.deepEqual(opened.tx.fee, tx.fee);
      assert.equal(opened.tx.method, tx.method);
      assert.equal(opened.tx.body === undefined, tx.body === undefined);
    }
  });

  it('answers mutated envelopes with a transaction or a coded error, never another exception', () => {
    const rng = new Prng(12);
    let opened = 0;
    for (let i = 0; i < 3000; i++) {
      const valid = encodeSignedTransaction(signTransaction(signer, randomTx(rng), CHAIN));
      const result = assertValueOrCoded(
        () => openSignedTransaction(mutate(rng, valid), CHAIN),
        `iteration ${i}`,
      );
      if (!(result instanceof CodedError)) opened++;
    }
    // A mutated envelope can only open if the mutation left the signed bytes alone (e.g. truncation to
    // nothing is rejected): few should open, and none may open with a changed payload (checked below).
    assert.ok(opened < 300, `${opened} mutated envelopes opened`);
  });

  it('never opens an envelope whose signed payload was changed', () => {
    const rng = new Prng(13);
    for (let i = 0; i < 1000; i++) {
      const signed = signTransaction(signer, randomTx(rng), CHAIN);
      const raw = mutate(rng, signed.untrusted_raw_value);
      if (Buffer.compare(raw, signed.untrusted_raw_value) === 0) continue;
      const forged = encodeCanonical({ untrusted_raw_value: raw, signature: signed.signature });
      assert.throws(() => openSignedTransaction(forged, CHAIN), CodedError, `iteration ${i}`);
    }
  });

  it('answers correctly signed but mutated payloads with a transaction or a CodecError', () => {
    const rng = new Prng(14);
    let decoded = 0;
    for (let i = 0; i < 2000; i++) {
      const signed = signTransaction(signer, randomTx(rng), CHAIN);
      const result = assertValueOrCoded(
        () => openSignedTransaction(signRaw(mutate(rng, signed.untrusted_raw_value)), CHAIN),
        `iteration ${i}`,
      );
      if (!(result instanceof CodedError)) decoded++;
    }
    assert.ok(decoded > 0, 'no mutated payload survived: the decoder path was not exercised');
  });

  it('rejects nesting and length bombs inside a correctly signed payload', { timeout: 10_000 }, () => {
    const deep = new Uint8Array(100_001).fill(0x81);
    deep[100_000] = 0;
    const bombs = [
      deep,
      Uint8Array.from([
        0xa1,
        0x64,
        ...Buffer.from('body'),
        0x5b,
        0x7f,
        0xff,
        0xff,
        0xff,
        0xff,
        0xff,
        0xff,
        0xff,
      ]),
    ];
    const messages = [/nested deeper/, /exceeds the/];
    bombs.forEach((bomb, i) => {
      assert.throws(
        () => openSignedTransaction(signRaw(bomb), CHAIN),
        (e: Error) => {
          return e instanceof CodedError && messages[i]!.test(e.message);
        },
      );
    });
  });

  it('answers random CBOR values given to the struct decoders with a value or a CodecError', () => {
    const rng = new Prng(15);
    const samples: CborValue[] = [];
    const pieces: CborValue[] = [
      0,
      -1,
      (1n << 64n) - 1n,
      'staking.Transfer',
      '',
      new Uint8Array(0),
      new Uint8Array(32),
      new Uint8Array(64),
      null,
      true,
      [],
      new Map(),
    ];
    const fields = [
      'nonce',
      'fee',
      'method',
      'body',
      'amount',
      'gas',
      'signature',
      'public_key',
      'untrusted_raw_value',
    ];
    for (let i = 0; i < 3000; i++) {
      const obj: Record<string, CborValue> = Object.create(null);
      for (let k = rng.int(5); k > 0; k--) {
        const value = rng.chance(0.3)
          ? { amount: rng.pick(pieces), gas: rng.pick(pieces) }
          : rng.pick(pieces);
        obj[rng.pick(fields)] = rng.chance(0.2)
          ? { public_key: rng.pick(pieces), signature: rng.pick(pieces) }
          : value;
      }
      samples.push(obj, rng.pick(pieces));
    }
    for (const [i, sample] of samples.entries()) {
      // Go through the bytes too, so decoded shapes (Map vs object) are the real ones.
      const value = decodeCanonical(encodeCanonical(sample));
      assertValueOrCoded(() => transactionDecoder(value, 'tx'), `tx sample ${i}`);
      assertValueOrCoded(() => signedDecoder(value, 'signed'), `signed sample ${i}`);
    }
  });
});
