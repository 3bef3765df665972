/** Parsing of JSON-RPC values and block parameters, and the reason of `Error(string)` revert data. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AbiCoder, concat, id } from 'ethers';
import { parseBlockParam } from '../../../src/api/web3/block_tags.ts';
import { JsonRpcError } from '../../../src/api/web3/errors.ts';
import { data, parseAddress, parseData, parseQuantity, quantity } from '../../../src/api/web3/hex.ts';
import { revertReason } from '../../../src/api/web3/runtime_errors.ts';

const invalid = (index: number) => (err: unknown) =>
  err instanceof JsonRpcError && err.code === -32602 && err.message.startsWith(`invalid argument ${index}`);

describe('web3 value parsing', () => {
  it('writes quantities without leading zeros and data as even hex', () => {
    assert.equal(quantity(0n), '0x0');
    assert.equal(quantity(255), '0xff');
    assert.equal(data(new Uint8Array(0)), '0x');
    assert.equal(data(Uint8Array.of(0, 15)), '0x000f');
  });

  it('reads quantities, data and addresses, naming the bad argument', () => {
    assert.equal(parseQuantity('0x00ff', 0), 255n);
    assert.equal(parseQuantity(`0x${'f'.repeat(64)}`, 0), 2n ** 256n - 1n);
    for (const bad of ['0x', '12', 12, '0xg', `0x1${'0'.repeat(64)}`, null])
      assert.throws(() => parseQuantity(bad, 2), invalid(2), String(bad));
    assert.throws(() => parseQuantity('0x100', 1, 255n), invalid(1));
    assert.deepEqual(parseData('0xABcd', 0), Uint8Array.of(0xab, 0xcd));
    assert.throws(() => parseData('0xabc', 0), invalid(0));
    assert.equal(parseAddress(`0x${'Aa'.repeat(20)}`, 0).length, 20);
    assert.throws(() => parseAddress(`0x${'aa'.repeat(21)}`, 3), invalid(3));
  });

  it('reads block tags, numbers and EIP-1898 objects', () => {
    assert.deepEqual(parseBlockParam(undefined, 1), { tag: 'latest' });
    for (const tag of ['latest', 'pending', 'safe', 'finalized', 'earliest'])
      assert.deepEqual(parseBlockParam(tag, 1), { tag });
    assert.deepEqual(parseBlockParam('0x10', 1), { number: 16n });
    assert.deepEqual(parseBlockParam({ blockNumber: '0x2' }, 1), { number: 2n });
    const hash = `0x${'11'.repeat(32)}`;
    assert.deepEqual(parseBlockParam({ blockHash: hash }, 1), { hash: parseData(hash, 1) });
    assert.throws(() => parseBlockParam({ blockHash: hash, blockNumber: '0x1' }, 1), invalid(1));
    assert.throws(() => parseBlockParam('head', 1), invalid(1));
    assert.throws(() => parseBlockParam(`0x1${'0'.repeat(16)}`, 1), invalid(1));
  });

  it('decodes Error(string) reasons and nothing else, never throwing on bad data', () => {
    const selector = id('Error(string)').slice(0, 10);
    const encoded = concat([selector, AbiCoder.defaultAbiCoder().encode(['string'], ['no way'])]);
    assert.equal(revertReason(parseData(encoded, 0)), 'no way');
    const panic = concat([
      id('Panic(uint256)').slice(0, 10),
      AbiCoder.defaultAbiCoder().encode(['uint256'], [1]),
    ]);
    assert.equal(revertReason(parseData(panic, 0)), undefined);
    const huge = parseData(encoded, 0);
    huge[4] = 0xff; // offset far past the data
    assert.equal(revertReason(huge), undefined);
    assert.equal(revertReason(parseData(encoded, 0).slice(0, 70)), undefined);
  });
});
