/**
 * A localnet hosting two ParaTimes over real processes (1 validator, 1 compute node running the accounts
 * and the EVM ParaTime, each in its own runtime process under its own runtime ID): both finalize rounds —
 * a client-rt transfer in one, an ethers-signed Ethereum transfer from a funded localnet key in the other
 * — and the funded Ethereum address holds its genesis balance in the EVM ParaTime (client-rt `evm`
 * wrapper through RuntimeClient), spends from it, and the roothash holds each runtime's latest round; a
 * user-signed `consensus.Deposit` (after `staking.Allow`) moves consensus tokens into an Ethereum account,
 * and `consensus.Withdraw` moves them back.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as oasis from '@oasisprotocol/client';
import * as oasisRT from '@oasisprotocol/client-rt';
import { Wallet } from 'ethers';
import { fromHex } from '../../src/codec/bytes.ts';
import type { LocalnetManifest } from '../../src/localnet/manifest.ts';
import { prepareLocalnet } from '../../src/localnet/prepare.ts';
import { LocalnetProcesses } from '../../src/localnet/processes.ts';
import { PENDING_WITHDRAWAL_ADDRESS } from '../../src/runtime/process/paratimes/accounts/params.ts';
import { eth, oasisOf, wrap } from '../runtime/process/paratimes/evm/helpers.ts';
import { ParaTimeClient } from './paratime_client.ts';

const WEI_PER_TEST = 10n ** 18n;

describe('a localnet with the accounts and the EVM ParaTime', { timeout: 180_000 }, () => {
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
    for (const rt of [accounts, evm]) await rt.waitSynced(deadline - Date.now());
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

  it('credits a user-signed consensus.Deposit in the EVM ParaTime once the consensus layer withdrew it', async () => {
    const nic = evm.nic;
    const depositor = oasis.signature.NaclSigner.fromSeed(
      fromHex(net.accounts[1]!.seed_hex),
      'this key is not important',
    );
    const from = oasis.staking.addressFromPublicKey(depositor.public());
    const consensusAccount = async () => (await nic.stakingAccount({ height: 0, owner: from })).general;
    const consensusBalance = async () =>
      oasis.quantity.toBigInt((await consensusAccount())?.balance ?? new Uint8Array());
    const chainContext = await nic.consensusGetChainContext();
    const recipient = net.accounts[1]!.eth_address;
    const tokens = 3n * 10n ** 9n; // 3 TEST in base units
    const beforeConsensus = await consensusBalance();
    const beforeRuntime = await evmBalance(recipient);

    // 1. Allow the runtime's staking address to withdraw the amount (on the consensus layer).
    const allow = oasis.staking.allowWrapper();
    allow.setNonce(BigInt((await consensusAccount())?.nonce ?? 0));
    allow.setFeeAmount(oasis.quantity.fromBigInt(0n));
    allow.setFeeGas(100_000n);
    allow.setBody({
      beneficiary: oasis.staking.addressFromRuntimeID(evm.runtimeId),
      negative: false,
      amount_change: oasis.quantity.fromBigInt(tokens),
    });
    await allow.sign(new oasis.signature.BlindContextSigner(depositor), chainContext);
    await allow.submit(nic);

    // 2. Sign consensus.Deposit in the runtime, the amount in wei, to the account's Ethereum address.
    const deposit = new oasisRT.consensusAccounts.Wrapper(evm.runtimeId).callDeposit();
    deposit.setBody({
      to: oasisOf(recipient),
      amount: [oasis.quantity.fromBigInt(tokens * 10n ** 9n), oasisRT.token.NATIVE_DENOMINATION],
    });
    deposit.setSignerInfo([
      { address_spec: { signature: { ed25519: depositor.public() } }, nonce: await evm.nonceOf(from) },
    ]);
    deposit.setFeeAmount([oasis.quantity.fromBigInt(0n), oasisRT.token.NATIVE_DENOMINATION]);
    deposit.setFeeGas(100_000n);
    deposit.setFeeConsensusMessages(1);
    await deposit.sign([new oasis.signature.BlindContextSigner(depositor)], chainContext);
    const landed = await evm.submit(oasis.misc.toCBOR(deposit.unverifiedTransaction));
    assert.deepEqual(landed.outcome, { ok: null });

    // 3. The consensus layer runs the withdrawal when the round finalizes; the next round credits it.
    const deadline = Date.now() + 30_000;
    while ((await evmBalance(recipient)) === beforeRuntime && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 250));
    assert.equal(await evmBalance(recipient), beforeRuntime + tokens * 10n ** 9n);
    assert.equal(await consensusBalance(), beforeConsensus - tokens);
  });

  it('pays a consensus.Withdraw from the EVM ParaTime out on the consensus layer, in base units', async () => {
    const nic = evm.nic;
    const owner = oasis.signature.NaclSigner.fromSeed(
      fromHex(net.accounts[0]!.seed_hex),
      'this key is not important',
    );
    const address = oasis.staking.addressFromPublicKey(owner.public());
    const consensusBalance = async () =>
      oasis.quantity.toBigInt(
        (await nic.stakingAccount({ height: 0, owner: address })).general?.balance ?? new Uint8Array(),
      );
    const before = await consensusBalance();
    const withdraw = new oasisRT.consensusAccounts.Wrapper(evm.runtimeId).callWithdraw();
    withdraw.setBody({
      amount: [oasis.quantity.fromBigInt(2n * 10n ** 18n), oasisRT.token.NATIVE_DENOMINATION],
    });
    withdraw.setSignerInfo([
      { address_spec: { signature: { ed25519: owner.public() } }, nonce: await evm.nonceOf(address) },
    ]);
    withdraw.setFeeAmount([oasis.quantity.fromBigInt(0n), oasisRT.token.NATIVE_DENOMINATION]);
    withdraw.setFeeGas(100_000n);
    withdraw.setFeeConsensusMessages(1);
    await withdraw.sign(
      [new oasis.signature.BlindContextSigner(owner)],
      await nic.consensusGetChainContext(),
    );
    const landed = await evm.submit(oasis.misc.toCBOR(withdraw.unverifiedTransaction));
    assert.deepEqual(landed.outcome, { ok: null });
    assert.equal(await consensusBalance(), before + 2n * 10n ** 9n, '2 TEST, paid when the round finalized');
    // The next round burns what waited in the pending-withdrawal account.
    const deadline = Date.now() + 30_000;
    while ((await evm.balance(PENDING_WITHDRAWAL_ADDRESS)) !== 0n && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 250));
    assert.equal(await evm.balance(PENDING_WITHDRAWAL_ADDRESS), 0n);
  });
});
