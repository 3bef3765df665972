/**
 * Raw Ethereum transactions decoded for the index and JSON-RPC: sender and fields as ethers signed them,
 * the same answer again for the same bytes (remembered), each chain and byte string apart, and null for
 * bytes that are no signed transaction.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Wallet } from 'ethers';
import { fromHex } from '../../../../src/codec/bytes.ts';
import {
  decodeEthTransactionFields,
  ethDecodingCommon,
} from '../../../../src/runtime/node/client/eth_tx_fields.ts';

const wallet = new Wallet(`0x${'17'.repeat(32)}`);
const to = `0x${'ab'.repeat(20)}`;
const signed = async (nonce: number) =>
  fromHex(
    (
      await wallet.signTransaction({ chainId: 42262n, nonce, to, gasLimit: 21_000n, gasPrice: 7n, type: 0 })
    ).slice(2),
  );

describe('Ethereum transaction fields', () => {
  it('decodes sender and fields, the same answer again for the same bytes, null for non-transactions', async () => {
    const common = ethDecodingCommon(42262n);
    const raw = await signed(3);
    const fields = decodeEthTransactionFields(raw, common)!;
    assert.equal(Buffer.from(fields.from).toString('hex'), wallet.address.slice(2).toLowerCase());
    assert.equal(fields.nonce, 3n);
    assert.equal(fields.gasPrice, 7n);
    assert.equal(fields.chainId, 42262n);
    assert.equal(decodeEthTransactionFields(raw.slice(), common), fields, 'remembered by bytes');
    const other = decodeEthTransactionFields(await signed(4), common)!;
    assert.equal(other.nonce, 4n, 'other bytes, other answer');
    assert.notEqual(decodeEthTransactionFields(raw, ethDecodingCommon(1n)), fields, 'per chain');
    assert.equal(decodeEthTransactionFields(raw.slice(0, -5), common), null);
    assert.equal(decodeEthTransactionFields(raw.slice(0, -5), common), null, 'null again');
  });
});
