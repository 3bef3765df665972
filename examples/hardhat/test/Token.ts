/**
 * The Token contract on the localnet's EVM ParaTime, driven by Hardhat 3 and hardhat-ethers as a project
 * would: deploy, call, wait for receipts, read events and get a failing `require`'s reason back. Run with
 * `--network localnet`; the first test refuses any other endpoint, so a pass means our node served it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ContractTransactionResponse } from 'ethers';
import { network } from 'hardhat';

const { ethers, networkName } = await network.create();
const SUPPLY = 1_000_000n;

describe('Token on the oasis-ts localnet', () => {
  it('talks to an oasis-ts node', async () => {
    assert.equal(networkName, 'localnet');
    const version: string = await ethers.provider.send('web3_clientVersion', []);
    assert.match(version, /^oasis-ts\//);
  });

  it('deploys, transfers, and reads the receipt and Transfer events', async () => {
    const [owner, other] = await ethers.getSigners();
    assert.ok(owner !== undefined && other !== undefined, 'localnet.json lists at least two accounts');
    const token = await ethers.deployContract('Token', [SUPPLY], owner);
    await token.waitForDeployment();
    assert.notEqual(await ethers.provider.getCode(await token.getAddress()), '0x');
    assert.equal(await token.totalSupply(), SUPPLY);
    assert.equal(await token.balanceOf(owner.address), SUPPLY);

    const tx: ContractTransactionResponse = await token.transfer(other.address, 250n);
    const receipt = await tx.wait();
    assert.ok(receipt !== null);
    assert.equal(receipt.status, 1);
    assert.equal(receipt.hash, tx.hash);
    const logged = receipt.logs.map((log) => token.interface.parseLog(log));
    assert.deepEqual(
      logged.map((e) => [e?.name, e?.args.from, e?.args.to, e?.args.value]),
      [['Transfer', owner.address, other.address, 250n]],
    );
    const found = await token.queryFilter(
      token.filters.Transfer(owner.address, other.address),
      receipt.blockNumber,
      receipt.blockNumber,
    );
    assert.deepEqual(
      found.map((e) => e.transactionHash),
      [tx.hash],
    );
    assert.equal(await token.balanceOf(owner.address), SUPPLY - 250n);
    assert.equal(await token.balanceOf(other.address), 250n);
  });

  it("returns a failing require's reason", async () => {
    const [owner, other] = await ethers.getSigners();
    const token = await ethers.deployContract('Token', [SUPPLY], owner);
    await token.waitForDeployment();
    const transfer = token.connect(other!).getFunction('transfer');
    // Hardhat hands a remote node's JSON-RPC error through (as its ProviderError): the node's message and
    // the revert data, which the contract's ABI decodes as Error(string).
    const revertedWithReason = (err: unknown): boolean => {
      const { message, data } = err as { message: string; data?: string };
      assert.match(message, /execution reverted: Token: balance too low/);
      assert.ok(data !== undefined, 'the error carries the revert data');
      const decoded = token.interface.parseError(data);
      assert.equal(decoded?.name, 'Error');
      assert.deepEqual([...decoded.args], ['Token: balance too low']);
      return true;
    };
    await assert.rejects(transfer.staticCall(owner!.address, 1n), revertedWithReason);
    await assert.rejects(transfer(owner!.address, 1n), revertedWithReason);
    assert.equal(await token.balanceOf(owner!.address), SUPPLY);
  });
});
