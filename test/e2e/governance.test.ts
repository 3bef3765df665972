/**
 * Governance on a two-validator local network: a `change_parameters` proposal submitted with the
 * official client's governance wrapper, both validators voting through our CLI (`governance
 * gen_cast_vote` + `consensus submit_tx`), passes at its closing epoch and the new parameter is visible in
 * `Governance/ConsensusParameters` and takes effect on the next proposal; that proposal, backed by one
 * validator of two, misses the stake threshold and its deposit goes to the common pool.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as oasis from '@oasisprotocol/client';
import { fromHex } from '../../src/codec/bytes.ts';
import { ReservedAddresses } from '../../src/crypto/address.ts';
import type { LocalnetManifest } from '../../src/localnet/manifest.ts';
import { prepareLocalnet } from '../../src/localnet/prepare.ts';
import { LocalnetProcesses } from '../../src/localnet/processes.ts';
import {
  type CliNetwork,
  setGovernanceParams,
  voteYesWithCli,
  waitClosed as waitProposalClosed,
} from './governance_cli.ts';

(globalThis as Record<string, unknown>).XMLHttpRequest ??= createRequire(import.meta.url)('xhr2');

describe('governance on a localnet', { timeout: 240_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'oasis-ts-gov-'));
  const procs = new LocalnetProcesses();
  let net: LocalnetManifest;
  let nic: oasis.client.NodeInternal;
  let chainContext: string;

  before(async () => {
    net = await prepareLocalnet({ dir, validators: 2, timeoutCommitMs: 100, epochInterval: 10 });
    // Short voting for the test (the genesis builder keeps oasis-core's 100-epoch default).
    setGovernanceParams(net, {
      voting_period: 4n,
      upgrade_min_epoch_diff: 10n,
      upgrade_cancel_min_epoch_diff: 10n,
    });
    for (const n of net.nodes) procs.start(n);
    await procs.waitHeight(net.nodes[0]!, 2, 60_000);
    nic = new oasis.client.NodeInternal(net.nodes[0]!.grpc_web);
    chainContext = await nic.consensusGetChainContext();
  });

  after(async () => {
    await procs.stopAll('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  const submitter = () =>
    oasis.signature.NaclSigner.fromSeed(fromHex(net.accounts[0]!.seed_hex), 'this key is not important');

  async function propose(votingPeriod: bigint): Promise<bigint> {
    const signer = submitter();
    const owner = oasis.staking.addressFromPublicKey(signer.public());
    const tw = oasis.governance.submitProposalWrapper();
    tw.setNonce(BigInt((await nic.stakingAccount({ height: 0, owner })).general?.nonce ?? 0));
    tw.setFeeAmount(oasis.quantity.fromBigInt(0n));
    tw.setBody({ change_parameters: { module: 'governance', changes: { voting_period: votingPeriod } } });
    tw.setFeeGas(await tw.estimateGas(nic, signer.public()));
    await tw.sign(new oasis.signature.BlindContextSigner(signer), chainContext);
    await tw.submit(nic);
    const all = await nic.governanceProposals(0);
    return BigInt(all[all.length - 1]!.id);
  }

  const cli = (): CliNetwork => ({ dir, net, nic });
  const voteWithCli = (i: number, id: bigint) => voteYesWithCli(cli(), i, id);
  const waitClosed = (id: bigint) => waitProposalClosed(nic, id, oasis.governance.STATE_ACTIVE);

  it('passes with both validators, applies the change; the next proposal misses the threshold', async () => {
    const first = await propose(5n);
    await Promise.all([0, 1].map((i) => voteWithCli(i, first)));
    assert.equal((await nic.governanceVotes({ height: 0, id: first })).length, 2);
    const passed = await waitClosed(first);
    assert.equal(passed.state, oasis.governance.STATE_PASSED);
    assert.equal(Number((await nic.governanceConsensusParameters(0)).voting_period), 5);

    const second = await propose(6n);
    const p2 = await nic.governanceProposal({ height: 0, id: second });
    assert.equal(BigInt(p2.closes_at) - BigInt(p2.created_at), 5n, 'the new voting period is in effect');
    await voteWithCli(0, second);
    const rejected = await waitClosed(second);
    assert.equal(rejected.state, oasis.governance.STATE_REJECTED);
    assert.equal(Number((await nic.governanceConsensusParameters(0)).voting_period), 5);

    // The deposit moved from the governance deposits to the common pool at the closing block.
    const latest = Number(await nic.consensusGetLatestHeight());
    let forfeited = false;
    for (let h = latest; h > latest - 60 && !forfeited; h--) {
      const events = await nic.stakingGetEvents(h);
      forfeited = events.some(
        (e) =>
          e.transfer !== undefined &&
          oasis.misc.toHex(e.transfer.from) === oasis.misc.toHex(ReservedAddresses.governanceDeposits) &&
          oasis.misc.toHex(e.transfer.to) === oasis.misc.toHex(ReservedAddresses.commonPool) &&
          oasis.quantity.toBigInt(e.transfer.amount) === 100n,
      );
    }
    assert.ok(forfeited, 'deposit sent to the common pool');
    assert.equal(oasis.quantity.toBigInt(await nic.stakingGovernanceDeposits(0)), 0n);
  });
});
