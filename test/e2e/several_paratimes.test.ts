/**
 * A localnet hosting two ParaTimes over real processes (1 validator, 1 compute node running the accounts
 * and the EVM ParaTime, each in its own runtime process under its own runtime ID): both finalize rounds —
 * a client-rt transfer in one, an ethers-signed Ethereum transfer from a funded localnet key in the other
 * — and the funded Ethereum address holds its genesis balance in the EVM ParaTime (client-rt `evm`
 * wrapper through RuntimeClient), spends from it, and the roothash holds each runtime's latest round.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as oasis from '@oasisprotocol/client';
import * as oasisRT from '@oasisprotocol/client-rt';
import { Wallet } from 'ethers';
import type { LocalnetManifest } from '../../src/localnet/manifest.ts';
import { prepareLocalnet } from '../../src/localnet/prepare.ts';
import { LocalnetProcesses } from '../../src/localnet/processes.ts';
import { eth, wrap } from '../runtime/process/paratimes/evm/helpers.ts';
import { ParaTimeClient } from './paratime_client.ts';

const WEI_PER_TEST = 10n ** 18n;

describe('a localnet with the accounts and the EVM ParaTime', { timeout: 90_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'oasis-ts-two-paratimes-'));
  const procs = new LocalnetProcesses();
  let net: LocalnetManifest;
  let accounts: ParaTimeClient;
  let evm: ParaTimeClient;

  before(async () => {
    const epochInterval = 6;
    net = await prepareLocalnet({
      dir,
      validators: 1,
      compute: 1,
      runtimes: ['accounts', 'evm'],
      accounts: 2,
      timeoutCommitMs: 200,
      epochInterval,
    });
    for (const n of net.nodes) n.pid = procs.start(n);
    await procs.waitHeight(net.nodes[0]!, epochInterval + 2, 45_000);
    const compute = net.nodes.find((n) => n.roles.includes('compute'))!;
    accounts = new ParaTimeClient(net, compute, 0, 0);
    evm = new ParaTimeClient(net, compute, 0, 1);
    // Each runtime answers queries once the compute node's runtime client has synced.
    const deadline = Date.now() + 30_000;
    for (const rt of [accounts, evm]) {
      for (;;) {
        try {
          await rt.nonce();
          break;
        } catch (err) {
          if (Date.now() > deadline) throw err;
          await new Promise((r) => setTimeout(r, 250));
        }
      }
    }
  });

  after(async () => {
    await procs.stopAll();
    rmSync(dir, { recursive: true, force: true });
  });

  const evmBalance = async (address: string): Promise<bigint> =>
    oasis.quantity.toBigInt(
      await new oasisRT.evm.Wrapper(evm.runtimeId)
        .queryBalance()
        .setArgs({ address: eth(address) })
        .query(evm.nic),
    );

  it('funds every localnet Ethereum key in the EVM ParaTime (1,000,000 TEST in wei)', async () => {
    for (const a of net.accounts) assert.equal(await evmBalance(a.eth_address), 1_000_000n * WEI_PER_TEST);
  });

  it('finalizes rounds of both runtimes: a client-rt transfer in one, an ethers transfer in the other', async () => {
    const before = await accounts.balance(accounts.recipient);
    const landed = await accounts.transfer(5n);
    assert.deepEqual(landed.outcome, { ok: null });
    assert.equal(await accounts.balance(accounts.recipient), before + 5n);

    const [from, to] = net.accounts;
    const wallet = new Wallet(from!.eth_private_key);
    const raw = await wallet.signTransaction({
      chainId: net.runtimes[1]!.chain_id,
      nonce: 0,
      to: to!.eth_address,
      value: WEI_PER_TEST,
      gasLimit: 100_000n,
      gasPrice: 0n,
      type: 0,
    });
    const sent = await evm.submit(wrap(raw));
    assert.ok(!('fail' in sent.outcome), JSON.stringify(sent.outcome));
    assert.equal(await evmBalance(to!.eth_address), 1_000_001n * WEI_PER_TEST);
    assert.equal(await evmBalance(from!.eth_address), 999_999n * WEI_PER_TEST);

    for (const [rt, round] of [
      [accounts, landed.round],
      [evm, sent.round],
    ] as const) {
      assert.ok(round > 0n);
      const latest = await rt.nic.rootHashGetLatestBlock({ height: 0, runtime_id: rt.runtimeId });
      assert.ok(BigInt(latest.header.round) >= round, 'the round is finalized on consensus');
      const block = await rt.waitForRound(round);
      assert.deepEqual(block.header.namespace, rt.runtimeId, 'the block is of its own runtime');
    }
  });
});
