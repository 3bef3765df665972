/**
 * The web3 endpoint over a chain that executes: raw transactions submitted and refused (malformed RLP,
 * wrong chain ID, stale nonce, unpayable fee — each with the error ethers expects, and nothing changed),
 * receipts, transactions and blocks in ethers' shapes, `eth_call` and `eth_estimateGas` with revert data,
 * `eth_getLogs` by address, topic, range and block hash, polling filters and `eth_feeHistory`, and the
 * `pending` nonce counting transactions that wait in the pool (a future nonce waits there for its gap).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { getCreateAddress, id, keccak256, Transaction, type Wallet, zeroPadValue } from 'ethers';
import { contracts } from '../../runtime/process/paratimes/evm/fixtures/contracts.ts';
import { alice, bob, CHAIN_ID, carol, GWEI } from '../../runtime/process/paratimes/evm/helpers.ts';
import { web3Fixture } from './fixture.ts';

const counter = contracts.Counter!;
const INCREMENTED = id('Incremented(address,uint256)');

describe('web3 JSON-RPC over an executing chain', () => {
  let f: Awaited<ReturnType<typeof web3Fixture>>;
  let address: string;
  let deployHash: string;
  let deployRound: bigint;
  let incrementRound: bigint;
  let incrementHash: string;

  const sign = (wallet: Wallet, tx: Record<string, unknown>) =>
    wallet.signTransaction({ chainId: CHAIN_ID, gasLimit: 1_000_000n, gasPrice: GWEI, type: 0, ...tx });

  before(async () => {
    f = await web3Fixture();
    const raw = await sign(alice, { nonce: 0, data: `${counter.bytecode}${'0'.repeat(63)}5` });
    deployHash = await f.result<string>('eth_sendRawTransaction', [raw]);
    assert.equal(deployHash, keccak256(raw));
    deployRound = await f.mine();
    address = getCreateAddress({ from: alice.address, nonce: 0 });
    const data = counter.abi.encodeFunctionData('increment');
    incrementHash = await f.result<string>('eth_sendRawTransaction', [
      await sign(alice, { nonce: 1, to: address, data }),
    ]);
    await f.result('eth_sendRawTransaction', [
      await sign(bob, {
        nonce: 0,
        to: address,
        data,
        type: 2,
        maxFeePerGas: GWEI,
        maxPriorityFeePerGas: 0n,
        gasPrice: undefined,
      }),
    ]);
    incrementRound = await f.mine();
  });
  after(() => f.close());

  it('serves the receipt of a deployment and of calls, with logs and bloom', async () => {
    const deploy = await f.result<Record<string, unknown>>('eth_getTransactionReceipt', [deployHash]);
    assert.equal(deploy.status, '0x1');
    assert.equal(deploy.contractAddress, address.toLowerCase());
    assert.equal(deploy.blockNumber, `0x${deployRound.toString(16)}`);
    assert.equal(deploy.to, null);
    assert.equal(deploy.from, alice.address.toLowerCase());
    const r = await f.result<Record<string, unknown> & { logs: Array<Record<string, unknown>> }>(
      'eth_getTransactionReceipt',
      [incrementHash],
    );
    assert.equal(r.status, '0x1');
    assert.equal(r.transactionIndex, '0x0');
    assert.equal(r.logs.length, 1);
    assert.deepEqual(r.logs[0]!.topics, [INCREMENTED, zeroPadValue(alice.address, 32).toLowerCase()]);
    assert.equal(r.logs[0]!.logIndex, '0x0');
    assert.equal(BigInt(r.gasUsed as string) > 21_000n, true);
    assert.equal(r.cumulativeGasUsed, r.gasUsed);
    assert.equal(r.effectiveGasPrice, `0x${GWEI.toString(16)}`);
    assert.notEqual(r.logsBloom, `0x${'00'.repeat(256)}`);
    assert.equal(await f.result('eth_getTransactionReceipt', [`0x${'11'.repeat(32)}`]), null);
  });

  it('serves transactions that ethers parses back to what was signed', async () => {
    const t = await f.result<Record<string, string>>('eth_getTransactionByHash', [incrementHash]);
    const parsed = Transaction.from({
      type: Number(t.type),
      chainId: BigInt(t.chainId!),
      nonce: Number(t.nonce),
      gasPrice: BigInt(t.gasPrice!),
      gasLimit: BigInt(t.gas!),
      to: t.to,
      value: BigInt(t.value!),
      data: t.input,
      signature: { r: zeroPadValue(t.r!, 32), s: zeroPadValue(t.s!, 32), v: BigInt(t.v!) },
    });
    assert.equal(parsed.hash, incrementHash);
    assert.equal(parsed.from, alice.address);
    assert.equal(t.blockNumber, `0x${incrementRound.toString(16)}`);
    assert.equal(t.chainId, `0x${CHAIN_ID.toString(16)}`);
    // Fee-market fields only on fee-market transactions, as geth serves them (ethers refuses a legacy one
    // that has them).
    assert.equal(t.maxFeePerGas, undefined);
    const block = await f.result<{ transactions: Array<Record<string, string>> }>('eth_getBlockByNumber', [
      t.blockNumber,
      true,
    ]);
    const feeMarket = block.transactions.find((x) => x.type === '0x2')!;
    assert.equal(feeMarket.maxFeePerGas, `0x${GWEI.toString(16)}`);
    assert.equal(feeMarket.maxPriorityFeePerGas, '0x0');
  });

  it('serves blocks with hashes or full transactions, by number and by hash, and their counts', async () => {
    const n = `0x${incrementRound.toString(16)}`;
    const b = await f.result<Record<string, unknown> & { transactions: string[] }>('eth_getBlockByNumber', [
      n,
      false,
    ]);
    assert.equal(b.transactions.length, 2);
    assert.equal(b.transactions[0], incrementHash);
    assert.equal(b.baseFeePerGas, undefined);
    assert.equal(b.gasLimit, '0xe4e1c0');
    const head = f.chain.head.header;
    assert.equal(b.stateRoot, `0x${Buffer.from(head.state_root).toString('hex')}`);
    const full = await f.result<{ transactions: Array<{ hash: string; from: string; type: string }> }>(
      'eth_getBlockByHash',
      [b.hash, true],
    );
    assert.deepEqual(
      full.transactions.map((t) => [t.hash, t.from, t.type]),
      [
        [incrementHash, alice.address.toLowerCase(), '0x0'],
        [b.transactions[1], bob.address.toLowerCase(), '0x2'],
      ],
    );
    assert.equal(await f.result('eth_getBlockTransactionCountByNumber', [n]), '0x2');
    assert.equal(await f.result('eth_getBlockTransactionCountByHash', [b.hash]), '0x2');
    const parent = await f.result<{ hash: string }>('eth_getBlockByNumber', [
      `0x${deployRound.toString(16)}`,
      false,
    ]);
    assert.equal(b.parentHash, parent.hash);
    assert.equal(await f.result('eth_getBlockByHash', [`0x${'22'.repeat(32)}`, false]), null);
  });

  it('reads state: balance, nonce, code, storage', async () => {
    assert.equal(await f.result('eth_getTransactionCount', [alice.address, 'latest']), '0x2');
    assert.equal(await f.result('eth_getTransactionCount', [alice.address, '0x0']), '0x0');
    assert.equal(await f.result('eth_getCode', [address, 'latest']), counter.deployedBytecode);
    assert.equal(
      await f.result('eth_getStorageAt', [address, '0x0', 'latest']),
      zeroPadValue('0x07', 32), // 5 + two increments
    );
    assert.equal(await f.result('eth_getBalance', [carol.address, 'latest']), '0x0');
  });

  it('runs eth_call and eth_estimateGas; a revert is code 3 with its data and reason', async () => {
    const count = await f.result<string>('eth_call', [
      { to: address, data: counter.abi.encodeFunctionData('count') },
      'latest',
    ]);
    assert.equal(BigInt(count), 7n);
    const fail = counter.abi.encodeFunctionData('fail', ['no way']);
    const reverted = await f.call('eth_call', [{ from: alice.address, to: address, data: fail }, 'latest']);
    assert.equal(reverted.error?.code, 3);
    assert.equal(reverted.error?.message, 'execution reverted: no way');
    assert.equal(counter.abi.parseError(reverted.error!.data!)?.args[0], 'no way');
    const custom = await f.call('eth_call', [
      { to: address, data: counter.abi.encodeFunctionData('add', [500n]) },
    ]);
    assert.equal(custom.error?.message, 'execution reverted');
    assert.equal(counter.abi.parseError(custom.error!.data!)?.name, 'TooBig');
    const estimateRevert = await f.call('eth_estimateGas', [
      { from: alice.address, to: address, data: fail },
    ]);
    assert.equal(estimateRevert.error?.code, 3);
    // The estimate suffices: the transaction it estimated succeeds with exactly that gas.
    const data = counter.abi.encodeFunctionData('increment');
    const gas = BigInt(
      await f.result<string>('eth_estimateGas', [{ from: alice.address, to: address, data }]),
    );
    const hash = await f.result<string>('eth_sendRawTransaction', [
      await sign(alice, { nonce: 2, to: address, data, gasLimit: gas }),
    ]);
    await f.mine();
    assert.equal((await f.result<{ status: string }>('eth_getTransactionReceipt', [hash])).status, '0x1');
  });

  it('refuses bad raw transactions with the errors ethers maps, changing nothing', async () => {
    const before = await f.result('eth_getTransactionCount', [alice.address, 'latest']);
    const pending = f.chain.unconfirmedTransactions().length;
    const malformed = await f.call('eth_sendRawTransaction', ['0xf86b8085e8d4a51000']);
    assert.equal(malformed.error?.code, -32000);
    assert.match(malformed.error!.message, /malformed transaction/);
    const notHex = await f.call('eth_sendRawTransaction', ['0xzz']);
    assert.equal(notHex.error?.code, -32602);
    const wrongChain = await f.call('eth_sendRawTransaction', [
      await sign(alice, { nonce: 3, to: bob.address, chainId: 1n }),
    ]);
    assert.equal(wrongChain.error?.code, -32000);
    assert.match(wrongChain.error!.message, /malformed transaction/);
    const stale = await f.call('eth_sendRawTransaction', [await sign(alice, { nonce: 0, to: bob.address })]);
    assert.match(stale.error!.message, /^nonce too low/);
    const broke = await f.call('eth_sendRawTransaction', [await sign(carol, { nonce: 0, to: bob.address })]);
    assert.match(broke.error!.message, /^insufficient funds/);
    assert.equal(await f.result('eth_getTransactionCount', [alice.address, 'latest']), before);
    assert.equal(f.chain.unconfirmedTransactions().length, pending);
  });

  it('finds logs by address, topics, block range and block hash', async () => {
    const all = await f.result<Array<{ transactionHash: string }>>('eth_getLogs', [
      { fromBlock: '0x0', toBlock: 'latest' },
    ]);
    const byAddress = await f.result<unknown[]>('eth_getLogs', [{ address, fromBlock: '0x0' }]);
    assert.equal(byAddress.length, all.length);
    assert.equal(all.length, 3);
    const bobTopic = zeroPadValue(bob.address, 32);
    const byBob = await f.result<Array<{ topics: string[] }>>('eth_getLogs', [
      { fromBlock: '0x0', topics: [INCREMENTED, bobTopic] },
    ]);
    assert.equal(byBob.length, 1);
    const eitherSender = await f.result<unknown[]>('eth_getLogs', [
      { fromBlock: '0x0', topics: [null, [bobTopic, zeroPadValue(alice.address, 32)]] },
    ]);
    assert.equal(eitherSender.length, 3);
    const block = await f.result<{ hash: string }>('eth_getBlockByNumber', [
      `0x${incrementRound.toString(16)}`,
      false,
    ]);
    assert.equal((await f.result<unknown[]>('eth_getLogs', [{ blockHash: block.hash }])).length, 2);
    const none = await f.result<unknown[]>('eth_getLogs', [
      { fromBlock: '0x0', toBlock: `0x${deployRound.toString(16)}` },
    ]);
    assert.equal(none.length, 0);
    const other = await f.result<unknown[]>('eth_getLogs', [{ address: bob.address, fromBlock: '0x0' }]);
    assert.equal(other.length, 0);
    const both = await f.call('eth_getLogs', [{ blockHash: block.hash, fromBlock: '0x0' }]);
    assert.equal(both.error?.code, -32602);
  });

  it('reports new blocks and logs to polling filters, until uninstalled', async () => {
    const blocks = await f.result<string>('eth_newBlockFilter');
    const logs = await f.result<string>('eth_newFilter', [{ address, topics: [INCREMENTED] }]);
    assert.deepEqual(await f.result('eth_getFilterChanges', [blocks]), []);
    const nonce = BigInt(await f.result<string>('eth_getTransactionCount', [alice.address, 'latest']));
    const data = counter.abi.encodeFunctionData('increment');
    const hash = await f.result<string>('eth_sendRawTransaction', [
      await sign(alice, { nonce, to: address, data }),
    ]);
    await f.mine();
    const newBlocks = await f.result<string[]>('eth_getFilterChanges', [blocks]);
    assert.equal(newBlocks.length, 1);
    const newLogs = await f.result<Array<{ transactionHash: string }>>('eth_getFilterChanges', [logs]);
    assert.deepEqual(
      newLogs.map((l) => l.transactionHash),
      [hash],
    );
    assert.deepEqual(await f.result('eth_getFilterChanges', [logs]), []);
    assert.equal(await f.result('eth_uninstallFilter', [logs]), true);
    assert.equal(await f.result('eth_uninstallFilter', [logs]), false);
    assert.equal((await f.call('eth_getFilterChanges', [logs])).error?.message, 'filter not found');
  });

  it('serves gas prices and fee history', async () => {
    assert.equal(await f.result('eth_gasPrice'), '0x0');
    const h = await f.result<{
      oldestBlock: string;
      baseFeePerGas: string[];
      gasUsedRatio: number[];
      reward: string[][];
    }>('eth_feeHistory', ['0x2', `0x${incrementRound.toString(16)}`, [50]]);
    assert.equal(h.oldestBlock, `0x${deployRound.toString(16)}`);
    assert.equal(h.baseFeePerGas.length, 3);
    assert.equal(h.gasUsedRatio.length, 2);
    assert.ok(h.gasUsedRatio[1]! > 0);
    assert.equal(h.reward.length, 2);
  });

  it('serves a transaction still in the pool with no block, then with its block once mined', async () => {
    const nonce = Number(await f.result<string>('eth_getTransactionCount', [bob.address, 'latest']));
    const raw = await sign(bob, { nonce, to: carol.address, value: 5n });
    const hash = await f.result<string>('eth_sendRawTransaction', [raw]);
    const pending = await f.result<Record<string, string | null>>('eth_getTransactionByHash', [hash]);
    assert.equal(pending.hash, hash);
    assert.equal(pending.from, bob.address.toLowerCase());
    assert.equal(pending.to, carol.address.toLowerCase());
    assert.equal(pending.nonce, `0x${nonce.toString(16)}`);
    assert.equal(pending.value, '0x5');
    assert.equal(pending.blockHash, null);
    assert.equal(pending.blockNumber, null);
    assert.equal(pending.transactionIndex, null);
    assert.equal(await f.result('eth_getTransactionReceipt', [hash]), null);
    // A hash nobody sent is still unknown.
    assert.equal(await f.result('eth_getTransactionByHash', [keccak256('0x01')]), null);
    const round = await f.mine();
    const mined = await f.result<Record<string, string | null>>('eth_getTransactionByHash', [hash]);
    assert.equal(mined.blockNumber, `0x${round.toString(16)}`);
    assert.equal(mined.transactionIndex, '0x0');
  });

  it('holds a future nonce in the pool, counts waiting nonces as pending, and lands both once the gap closes', async () => {
    const count = (tag: string) => f.result<string>('eth_getTransactionCount', [bob.address, tag]);
    const nonce = Number(await count('latest'));
    assert.equal(await count('pending'), `0x${nonce.toString(16)}`, 'nothing waiting');
    const later = await f.result<string>('eth_sendRawTransaction', [
      await sign(bob, { nonce: nonce + 1, to: carol.address, value: 1n }),
    ]);
    assert.equal(await count('pending'), `0x${nonce.toString(16)}`, 'the gap is not counted');
    const first = await f.result<string>('eth_sendRawTransaction', [
      await sign(bob, { nonce, to: carol.address, value: 1n }),
    ]);
    assert.equal(await count('pending'), `0x${(nonce + 2).toString(16)}`);
    assert.equal(await count('latest'), `0x${nonce.toString(16)}`);
    await f.mine();
    for (const hash of [first, later])
      assert.equal((await f.result<{ status: string }>('eth_getTransactionReceipt', [hash])).status, '0x1');
    assert.equal(await count('latest'), `0x${(nonce + 2).toString(16)}`);
    assert.equal(await count('pending'), `0x${(nonce + 2).toString(16)}`);
  });
});
