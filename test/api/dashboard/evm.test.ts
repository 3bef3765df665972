/**
 * The dashboard's EVM page data over a real Ethereum index: the in-process EVM ParaTime executes a
 * deployment, a reverting deployment and a transfer, the real indexer indexes them, and `evmActivity`
 * must list the latest blocks as the index's receipts describe them and only the contract that exists.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { getCreateAddress, type Wallet } from 'ethers';
import { evmActivity } from '../../../src/api/dashboard/evm.ts';
import { contracts } from '../../runtime/process/paratimes/evm/fixtures/contracts.ts';
import { alice, bob, CHAIN_ID, GWEI } from '../../runtime/process/paratimes/evm/helpers.ts';
import { web3Fixture } from '../web3/fixture.ts';

const counter = contracts.Counter!;
const RUNTIME = 'evm-runtime';

describe('dashboard EVM activity from the Ethereum index', () => {
  let f: Awaited<ReturnType<typeof web3Fixture>>;
  let deployHash: string;
  let deployRound: bigint;
  let transferRound: bigint;

  const sign = (wallet: Wallet, tx: Record<string, unknown>) =>
    wallet.signTransaction({ chainId: CHAIN_ID, gasLimit: 1_000_000n, gasPrice: GWEI, type: 0, ...tx });

  before(async () => {
    f = await web3Fixture();
    const raw = await sign(alice, { nonce: 0, data: `${counter.bytecode}${'0'.repeat(63)}5` });
    deployHash = await f.result<string>('eth_sendRawTransaction', [raw]);
    // A creation whose init code reverts at once (PUSH0 PUSH0 REVERT): included, but creates nothing.
    await f.result('eth_sendRawTransaction', [await sign(bob, { nonce: 0, data: '0x5f5ffd' })]);
    deployRound = await f.mine();
    await f.result('eth_sendRawTransaction', [await sign(alice, { nonce: 1, to: bob.address, value: 1n })]);
    transferRound = await f.mine();
    await f.mine(); // an empty round
  });
  after(() => f.close());

  it('lists the latest blocks newest first, as the index records them', async () => {
    const view = evmActivity(f.store, RUNTIME, 20);
    assert.equal(view.runtime_id, RUNTIME);
    assert.equal(view.head, (transferRound + 1n).toString());
    assert.deepEqual(
      view.blocks.map((b) => b.number),
      ['3', '2', '1', '0'],
    );
    const byNumber = new Map(view.blocks.map((b) => [b.number, b]));
    assert.equal(byNumber.get(deployRound.toString())!.tx_count, 2);
    assert.equal(byNumber.get(transferRound.toString())!.tx_count, 1);
    assert.equal(byNumber.get('3')!.tx_count, 0);
    assert.equal(byNumber.get('3')!.gas_used, '0');
    for (const b of view.blocks) {
      const rpc = await f.result<Record<string, string>>('eth_getBlockByNumber', [
        `0x${BigInt(b.number).toString(16)}`,
        false,
      ]);
      assert.equal(b.hash, rpc.hash);
      assert.equal(BigInt(b.gas_used), BigInt(rpc.gasUsed!));
      assert.equal(BigInt(b.timestamp), BigInt(rpc.timestamp!));
    }
    assert.ok(BigInt(byNumber.get(deployRound.toString())!.gas_used) > 21_000n);
  });

  it('lists the contract the successful deployment created, not the reverted one', () => {
    const { contracts: created } = evmActivity(f.store, RUNTIME, 20);
    assert.deepEqual(created, [
      {
        address: getCreateAddress({ from: alice.address, nonce: 0 }).toLowerCase(),
        creator: alice.address.toLowerCase(),
        tx_hash: deployHash,
        block: deployRound.toString(),
      },
    ]);
  });

  it('stops at `limit` blocks', () => {
    const view = evmActivity(f.store, RUNTIME, 2);
    assert.deepEqual(
      view.blocks.map((b) => b.number),
      ['3', '2'],
    );
    assert.deepEqual(view.contracts, []);
  });
});
