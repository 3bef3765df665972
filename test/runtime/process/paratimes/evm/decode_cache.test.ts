/**
 * The decode cache gives what decoding gives (sender, hash, price at its base fee), answers a repeat
 * from memory, never remembers a failure, and stays within its bound.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fromHex } from '../../../../../src/codec/bytes.ts';
import { EthTxDecoder } from '../../../../../src/runtime/process/paratimes/evm/decode_cache.ts';
import { evmCommon } from '../../../../../src/runtime/process/paratimes/evm/engine.ts';
import { decodeEthTransaction } from '../../../../../src/runtime/process/paratimes/evm/raw_tx.ts';
import { alice, bob, CHAIN_ID, GWEI } from './helpers.ts';

const common = evmCommon(CHAIN_ID);
const signed = async (nonce: number) =>
  fromHex(
    (
      await alice.signTransaction({
        chainId: CHAIN_ID,
        nonce,
        to: bob.address,
        gasLimit: 50_000n,
        type: 2,
        maxFeePerGas: 3n * GWEI,
        maxPriorityFeePerGas: GWEI,
      })
    ).slice(2),
  );

describe('Ethereum transaction decode cache', () => {
  it('answers as decoding does, repeats from memory, failures never remembered', async () => {
    const decoder = new EthTxDecoder(common, GWEI);
    const raw = await signed(0);
    const first = decoder.decode(raw);
    assert.deepEqual(first, decodeEthTransaction(raw, common, GWEI));
    assert.equal(first.gasPrice, 2n * GWEI, 'priced at the base fee it was made for');
    assert.equal(decoder.hits, 0);
    assert.equal(decoder.decode(raw.slice()), first, 'same bytes: the same decoded transaction');
    assert.equal(decoder.hits, 1);
    const bad = raw.slice(0, -3);
    assert.throws(() => decoder.decode(bad));
    assert.throws(() => decoder.decode(bad));
    assert.equal(decoder.hits, 1, 'a failure is decoded again');
  });

  it('forgets the oldest beyond its bound', async () => {
    const decoder = new EthTxDecoder(common, 0n, 2);
    const [a, b, c] = await Promise.all([0, 1, 2].map(signed));
    for (const raw of [a!, b!, c!]) decoder.decode(raw);
    decoder.decode(c!);
    decoder.decode(b!);
    assert.equal(decoder.hits, 2);
    decoder.decode(a!);
    assert.equal(decoder.hits, 2, 'the oldest was forgotten');
  });
});
