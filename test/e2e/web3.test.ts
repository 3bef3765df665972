/**
 * The Ethereum JSON-RPC endpoint on a real localnet (1 validator, 3 compute nodes running the EVM
 * ParaTime, 1 client node following it and serving `web3`), used by ethers v6 as it ships
 * (JsonRpcProvider + Wallet): deploy an OpenZeppelin ERC-20 compiled by solc, transfer, read `balanceOf`,
 * wait for the receipt, find the Transfer event by `eth_getLogs` and `queryFilter`, get a failing
 * `require`'s reason back, send a transaction with exactly the gas `eth_estimateGas` gave, and see a
 * stale nonce refused as ethers expects; every compute node and the client node have the same state root
 * for the round the transfer landed in, and client-rt's evm wrapper reads the contract's code and the
 * wallet's balance as JSON-RPC reports them.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as oasisRT from '@oasisprotocol/client-rt';
import {
  Contract,
  ContractFactory,
  getBytes,
  hexlify,
  id,
  isError,
  JsonRpcProvider,
  toBigInt,
  Wallet,
} from 'ethers';
import { oasisAddressOfEth, parseEthAddress } from '../../src/crypto/eth_address.ts';
import type { LocalnetManifest } from '../../src/localnet/manifest.ts';
import { LocalnetProcesses } from '../../src/localnet/processes.ts';
import { DEFAULT_CHAIN_ID } from '../../src/runtime/process/paratimes/evm/params.ts';
import { compileTestToken } from './fixtures/erc20.ts';
import { ParaTimeClient } from './paratime_client.ts';
import { waitUntil } from './wait_until.ts';
import { startWeb3Localnet } from './web3_localnet.ts';

/** What the wallet gets (the localnet's test accounts hold 10^15 base units in the ParaTime). */
const FUNDING = 10n ** 14n;

describe('Ethereum JSON-RPC with ethers v6 on a localnet', { timeout: 300_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'oasis-ts-web3-'));
  const procs = new LocalnetProcesses();
  const token = compileTestToken();
  let net: LocalnetManifest;
  let rt: ParaTimeClient;
  let provider: JsonRpcProvider;
  const wallet = Wallet.createRandom();
  const bob = Wallet.createRandom().address;

  before(async () => {
    let url: string;
    ({ net, rt, url } = await startWeb3Localnet(procs, { dir, timeoutCommitMs: 250, epochInterval: 12 }));
    provider = new JsonRpcProvider(url);
    provider.pollingInterval = 250;
    const funded = await rt.transfer(FUNDING, oasisAddressOfEth(parseEthAddress(wallet.address)));
    assert.deepEqual(funded.outcome, { ok: null });
  });

  after(async () => {
    provider?.destroy();
    await procs.stopAll();
    rmSync(dir, { recursive: true, force: true });
  });

  it('deploys an ERC-20, transfers, reads balances, receipts and Transfer events', async () => {
    assert.equal((await provider.getNetwork()).chainId, DEFAULT_CHAIN_ID);
    await waitUntil(
      'funds visible',
      30_000,
      async () => (await provider.getBalance(wallet.address)) === FUNDING,
    );
    const signer = wallet.connect(provider);

    const factory = new ContractFactory(token.abi as never, token.bytecode, signer);
    const deployed = await factory.deploy(1_000_000n);
    await deployed.waitForDeployment();
    const address = await deployed.getAddress();
    const erc20 = new Contract(address, token.abi as never, signer);
    assert.equal(await erc20.getFunction('totalSupply')(), 1_000_000n);
    // client-rt's evm wrapper reads the same contract and account through RuntimeClient.
    const evm = new oasisRT.evm.Wrapper(rt.runtimeId);
    const code = await evm
      .queryCode()
      .setArgs({ address: getBytes(address) })
      .query(rt.nic);
    assert.equal(hexlify(code), await provider.getCode(address));
    const balance = await evm
      .queryBalance()
      .setArgs({ address: getBytes(wallet.address) })
      .query(rt.nic);
    assert.equal(toBigInt(balance), await provider.getBalance(wallet.address));

    const tx = await erc20.getFunction('transfer')(bob, 250n);
    const receipt = await tx.wait();
    assert.equal(receipt.status, 1);
    assert.equal(receipt.hash, tx.hash);
    assert.equal(await erc20.getFunction('balanceOf')(bob), 250n);
    assert.equal(await erc20.getFunction('balanceOf')(wallet.address), 1_000_000n - 250n);

    // The Transfer event, by eth_getLogs and by ethers' queryFilter.
    const transferTopic = id('Transfer(address,address,uint256)');
    const logs = await provider.getLogs({ address, topics: [transferTopic], fromBlock: 0 });
    const mine = logs.filter((l) => l.transactionHash === tx.hash);
    assert.equal(mine.length, 1);
    assert.equal(mine[0]!.blockNumber, receipt.blockNumber);
    const events = await erc20.queryFilter(erc20.filters.Transfer!(wallet.address, bob));
    assert.equal(events.length, 1);
    assert.deepEqual([...(events[0] as unknown as { args: unknown[] }).args], [wallet.address, bob, 250n]);

    // The block and the transaction as ethers reads them.
    const block = await provider.getBlock(receipt.blockNumber);
    assert.ok(block?.transactions.includes(tx.hash));
    const fetched = await provider.getTransaction(tx.hash);
    assert.equal(fetched?.from, wallet.address);

    // Every compute node and the following client node agree on the state the transfer's round produced.
    const roots = await Promise.all(
      net.nodes
        .filter((n) => n.roles.includes('compute') || n.roles.includes('observer'))
        .map(
          async (n) =>
            (await new ParaTimeClient(net, n).waitForRound(BigInt(receipt.blockNumber))).header.state_root,
        ),
    );
    for (const r of roots) assert.deepEqual(r, roots[0]);
    assert.equal(`0x${Buffer.from(roots[0]!).toString('hex')}`, block?.stateRoot);
  });

  it('gives a failing require its reason, estimates enough gas, and refuses a stale nonce', async () => {
    const signer = wallet.connect(provider);
    const factory = new ContractFactory(token.abi as never, token.bytecode, signer);
    const erc20 = (await (await factory.deploy(1000n)).waitForDeployment()) as unknown as Contract;
    await assert.rejects(erc20.getFunction('burn')(0n), (err: unknown) => {
      assert.ok(isError(err, 'CALL_EXCEPTION'), String(err));
      assert.equal(err.reason, 'burn amount is zero');
      return true;
    });
    const gas = await erc20.getFunction('transfer').estimateGas(bob, 7n);
    const sent = await erc20.getFunction('transfer')(bob, 7n, { gasLimit: gas });
    assert.equal((await sent.wait())?.status, 1);
    assert.equal(await erc20.getFunction('balanceOf')(bob), 7n);
    await assert.rejects(signer.sendTransaction({ to: bob, value: 1n, nonce: 0 }), (err: unknown) => {
      assert.ok(isError(err, 'NONCE_EXPIRED'), String(err));
      return true;
    });
  });
});
