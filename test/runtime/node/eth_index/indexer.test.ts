/**
 * The Ethereum index: built from the runtime history round by round, resumed after a restart from where
 * it ended (rounds produced meanwhile are caught up, none twice), and its log query narrowing by address
 * and by topic position.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { getCreateAddress, id, zeroPadValue } from 'ethers';
import { fromHex } from '../../../../src/codec/bytes.ts';
import { EthIndexer } from '../../../../src/runtime/node/eth_index/indexer.ts';
import { RoundConverter } from '../../../../src/runtime/node/eth_index/round_block.ts';
import { EthIndexStore } from '../../../../src/runtime/node/eth_index/store.ts';
import { wrapEthereumTx } from '../../../../src/runtime/protocol/eth_envelope.ts';
import { EvmChain } from '../../../api/web3/evm_chain.ts';
import { contracts } from '../../process/paratimes/evm/fixtures/contracts.ts';
import { alice, bob, CHAIN_ID, GWEI } from '../../process/paratimes/evm/helpers.ts';

const counter = contracts.Counter!;
const INCREMENTED = fromHex(id('Incremented(address,uint256)').slice(2));
const word = (address: string) => fromHex(zeroPadValue(address, 32).slice(2));

describe('Ethereum index', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oasis-ts-eth-index-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const chain = new EvmChain();
  const address = getCreateAddress({ from: alice.address, nonce: 0 });
  const send = async (wallet: typeof alice, tx: Record<string, unknown>) =>
    chain.submitTxNoWait(
      chain.runtimeId,
      wrapEthereumTx(
        fromHex(
          (
            await wallet.signTransaction({
              chainId: CHAIN_ID,
              gasLimit: 1_000_000n,
              gasPrice: GWEI,
              type: 0,
              ...tx,
            })
          ).slice(2),
        ),
      ),
    );
  const open = () => {
    const store = EthIndexStore.open(dir);
    const indexer = new EthIndexer({
      runtimeId: chain.runtimeId,
      runtimes: chain,
      store,
      converter: new RoundConverter(CHAIN_ID, 15_000_000n),
      warn: (m, fields) => assert.fail(`${m} ${JSON.stringify(fields)}`),
    });
    indexer.start();
    return { store, indexer };
  };

  it('indexes rounds as they come and resumes after a restart', async () => {
    let { store, indexer } = open();
    await send(alice, { nonce: 0, data: `${counter.bytecode}${'0'.repeat(64)}` });
    await chain.mine();
    await send(alice, { nonce: 1, to: address, data: counter.abi.encodeFunctionData('increment') });
    await chain.mine();
    await indexer.idle();
    assert.equal(store.head(), 2n);
    await indexer.stop();
    await store.close();

    // Rounds produced while the node was down.
    await send(bob, { nonce: 0, to: address, data: counter.abi.encodeFunctionData('increment') });
    await chain.mine();
    await chain.mine();
    ({ store, indexer } = open());
    await indexer.idle();
    assert.equal(store.head(), 4n);
    assert.equal(store.earliest(), 0n);
    for (let n = 0n; n <= 4n; n++) assert.equal(store.blockByNumber(n)?.number, n);
    const b3 = store.blockByNumber(3n)!;
    assert.equal(b3.transactions.length, 1);
    assert.deepEqual(store.blockByHash(b3.hash)?.number, 3n);
    assert.equal(store.transaction(b3.transactions[0]!)?.from.length, 20);

    // Log queries: everything, by address, by topic at position 0 and 1; position matters.
    const all = { fromBlock: 0n, toBlock: 4n, addresses: [], topics: [] };
    assert.equal(store.logs(all, 100).length, 2);
    assert.equal(store.logs({ ...all, addresses: [fromHex(address.slice(2).toLowerCase())] }, 100).length, 2);
    assert.equal(store.logs({ ...all, topics: [[INCREMENTED]] }, 100).length, 2);
    const byBob = store.logs({ ...all, topics: [null, [word(bob.address)]] }, 100);
    assert.deepEqual(
      byBob.map((l) => l.blockNumber),
      [3n],
    );
    assert.equal(store.logs({ ...all, topics: [[word(bob.address)]] }, 100).length, 0);
    assert.equal(store.logs({ ...all, fromBlock: 3n }, 100).length, 1);
    assert.equal(store.logs(all, 1).length, 1);

    // A stale copy of an executed transaction in a later round is refused there: it is not in that block
    // and the receipt stays the one that ran.
    const executed = store.transaction(b3.transactions[0]!)!;
    const copy = chain.transactions(chain.runtimeId, 3n)[0]!.tx;
    chain.includeUnchecked(copy);
    await chain.mine();
    await indexer.idle();
    assert.equal(store.head(), 5n);
    assert.deepEqual(store.blockByNumber(5n)!.transactions, []);
    assert.deepEqual(store.transaction(executed.hash), executed);
    await indexer.stop();
    await store.close();
  });
});
