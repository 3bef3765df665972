/**
 * The Ethereum JSON-RPC of an archive node: over the runtime client an archive node serves
 * (`archiveRuntimeClientBackend`), reads at old and latest blocks are answered as on a live node, and
 * `eth_sendRawTransaction` is refused (saying why), with nothing reaching the pool.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fromHex } from '../../src/codec/bytes.ts';
import { archiveRuntimeClientBackend } from '../../src/node/archive.ts';
import { wrapEthereumTx } from '../../src/runtime/protocol/eth_envelope.ts';
import { web3Fixture } from '../api/web3/fixture.ts';
import { alice, bob, CHAIN_ID, GWEI } from '../runtime/process/paratimes/evm/helpers.ts';

describe('web3 JSON-RPC of an archive node', () => {
  let f: Awaited<ReturnType<typeof web3Fixture>>;
  const transfer = (nonce: number) =>
    alice.signTransaction({
      chainId: CHAIN_ID,
      gasLimit: 100_000n,
      gasPrice: GWEI,
      type: 0,
      nonce,
      to: bob.address,
      value: 7n,
    });

  before(async () => {
    f = await web3Fixture({}, archiveRuntimeClientBackend);
    // History made while the chain was live (straight into the chain, not through the archive's endpoint).
    for (let nonce = 0; nonce < 3; nonce++) {
      await f.chain.submitTxNoWait(
        f.chain.runtimeId,
        wrapEthereumTx(fromHex((await transfer(nonce)).slice(2))),
      );
      await f.mine();
    }
  });
  after(() => f.close());

  it('answers reads at old and latest blocks', async () => {
    const latest = BigInt(await f.result<string>('eth_blockNumber'));
    assert.equal(await f.result('eth_getTransactionCount', [alice.address, 'latest']), '0x3');
    assert.equal(
      await f.result('eth_getTransactionCount', [alice.address, `0x${(latest - 1n).toString(16)}`]),
      '0x2',
    );
    const block = await f.result<{ transactions: string[] }>('eth_getBlockByNumber', [
      `0x${(latest - 2n).toString(16)}`,
      false,
    ]);
    assert.equal(block.transactions.length, 1);
  });

  it('refuses eth_sendRawTransaction, and nothing reaches the pool', async () => {
    const refused = await f.call('eth_sendRawTransaction', [await transfer(3)]);
    assert.equal(refused.error?.code, -32000);
    assert.match(refused.error!.message, /not supported by an archive node/);
    assert.equal(f.chain.unconfirmedTransactions().length, 0);
    assert.equal(await f.result('eth_getTransactionCount', [alice.address, 'latest']), '0x3');
  });
});
