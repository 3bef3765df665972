/**
 * The EVM ParaTime on a real localnet (1 validator, 3 compute nodes, each running the EVM ParaTime in
 * its own process): an Ethereum account funded by a client-rt `accounts.Transfer` deploys a solc contract
 * with a transaction signed by ethers and submitted through `RuntimeClient`, the committee executes and
 * finalizes it, and client-rt's `evm` wrapper reads the contract's code back through gRPC-web.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as oasisRT from '@oasisprotocol/client-rt';
import { getCreateAddress, Wallet } from 'ethers';
import { toHex } from '../../../../../src/codec/bytes.ts';
import type { LocalnetManifest } from '../../../../../src/localnet/manifest.ts';
import { prepareLocalnet } from '../../../../../src/localnet/prepare.ts';
import { LocalnetProcesses } from '../../../../../src/localnet/processes.ts';
import { DEFAULT_CHAIN_ID } from '../../../../../src/runtime/process/paratimes/evm/params.ts';
import { ParaTimeClient } from '../../../../e2e/paratime_client.ts';
import { contracts } from './fixtures/contracts.ts';
import { eth, oasisOf, wrap } from './helpers.ts';

describe('EVM ParaTime on a localnet (1 validator, 3 compute nodes)', { timeout: 300_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'oasis-ts-evm-'));
  const procs = new LocalnetProcesses();
  let net: LocalnetManifest;
  let rt: ParaTimeClient;

  before(async () => {
    const epochInterval = 12;
    net = await prepareLocalnet({
      dir,
      validators: 1,
      compute: 3,
      runtime: 'evm',
      timeoutCommitMs: 250,
      epochInterval,
    });
    for (const n of net.nodes) n.pid = procs.start(n);
    await procs.waitHeight(net.nodes[0]!, epochInterval + 2, 120_000);
    rt = new ParaTimeClient(net, net.nodes.find((n) => n.roles.includes('compute'))!);
    // The compute node answers runtime queries once its runtime client has synced (slower under load).
    await rt.waitSynced(120_000);
  });

  after(async () => {
    await procs.stopAll();
    rmSync(dir, { recursive: true, force: true });
  });

  it('deploys a contract from an Ethereum account and reads its code back with client-rt', async () => {
    const user = Wallet.createRandom();
    // Fund the Ethereum account's runtime-sdk address from a localnet test account, signed by client-rt.
    const funded = await rt.transfer(10n ** 15n, oasisOf(user.address));
    assert.deepEqual(funded.outcome, { ok: null });
    const raw = await user.signTransaction({
      chainId: DEFAULT_CHAIN_ID,
      nonce: 0,
      gasLimit: 1_000_000n,
      gasPrice: 1n,
      type: 0,
      data: `${contracts.Counter!.bytecode}${'0'.repeat(63)}7`,
    });
    const landed = await rt.submit(wrap(raw));
    const address = getCreateAddress({ from: user.address, nonce: 0 });
    assert.deepEqual(landed.outcome, { ok: eth(address) }, JSON.stringify(landed.outcome));
    const code = await new oasisRT.evm.Wrapper(rt.runtimeId)
      .queryCode()
      .setArgs({ address: eth(address) })
      .query(rt.nic);
    assert.equal(`0x${toHex(code)}`, contracts.Counter!.deployedBytecode);
  });
});
