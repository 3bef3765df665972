/**
 * `oasis-core.Governance` through the official client over gRPC-web: a proposal built with the client's
 * governance wrapper and votes with its castVote wrapper execute through our mux, and every Governance
 * method (queries, GetEvents, WatchEvents) decodes in the client.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as oasis from '@oasisprotocol/client';
import { NodeClient } from '../../../src/api/grpc_client.ts';
import { GrpcServer } from '../../../src/api/grpc_server.ts';
import { GrpcWebServer } from '../../../src/api/grpc_web.ts';
import { ApiRegistry } from '../../../src/api/method.ts';
import { eventMethods } from '../../../src/api/services/events.ts';
import { GOVERNANCE_SERVICE, governanceMethods } from '../../../src/api/services/governance.ts';
import { CHAIN_CONTEXT } from '../../services/fixtures/chain.ts';
import { addr, EPOCH_INTERVAL, GovernanceChain } from '../../services/governance/fixture.ts';
import { seedOf } from '../../services/staking/fixture.ts';
import { waitFor } from './deadlines.ts';
import { LiveChain } from './live_chain.ts';

(globalThis as Record<string, unknown>).XMLHttpRequest ??= createRequire(import.meta.url)('xhr2');

type Wrapper = ReturnType<typeof oasis.governance.castVoteWrapper>;

async function clientTx(chain: GovernanceChain, signer: number, wrapper: Wrapper, body: unknown) {
  wrapper.setNonce(chain.staking.account(addr(signer)).general.nonce);
  wrapper.setFeeAmount(oasis.quantity.fromBigInt(0n));
  wrapper.setFeeGas(100_000n);
  (wrapper as unknown as { setBody(b: unknown): void }).setBody(body);
  const s = new oasis.signature.BlindContextSigner(
    oasis.signature.NaclSigner.fromSeed(seedOf(signer), 'this key is not important'),
  );
  await wrapper.sign(s, CHAIN_CONTEXT);
  return oasis.misc.toCBOR(wrapper.signedTransaction);
}

describe('Governance over gRPC-web, decoded by the official client', () => {
  const chain = new GovernanceChain();
  const live = new LiveChain(chain);
  const registry = new ApiRegistry();
  registry.register(...governanceMethods(live), ...eventMethods(GOVERNANCE_SERVICE, 'governance', live));
  const web = new GrpcWebServer(registry);
  const dir = mkdtempSync(join(tmpdir(), 'oasis-ts-gov-'));
  const server = new GrpcServer(registry, join(dir, 'internal.sock'));
  const grpc = new NodeClient(`unix:${join(dir, 'internal.sock')}`);
  let nic: oasis.client.NodeInternal;

  before(async () => {
    nic = new oasis.client.NodeInternal(await web.listen(0));
    await server.start();
  });
  after(async () => {
    grpc.close();
    await web.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a change_parameters proposal and votes from the client wrappers pass; every query decodes', async () => {
    const submit = await clientTx(chain, 1, oasis.governance.submitProposalWrapper() as unknown as Wrapper, {
      change_parameters: { module: 'governance', changes: { voting_period: 3n } },
    });
    const submitted = live.block([submit]);
    assert.equal(submitted.results[0]!.error, undefined, submitted.results[0]!.error?.message);
    for (const v of [1, 2]) {
      const tx = await clientTx(chain, v, oasis.governance.castVoteWrapper(), {
        id: 1n,
        vote: oasis.governance.VOTE_YES,
      });
      assert.equal(live.block([tx]).results[0]!.error, undefined);
    }

    const active = await nic.governanceActiveProposals(0);
    assert.equal(active.length, 1);
    assert.equal(Number(active[0]!.id), 1);
    assert.equal(active[0]!.state, oasis.governance.STATE_ACTIVE);
    assert.deepEqual(active[0]!.submitter, addr(1));
    assert.equal(oasis.quantity.toBigInt(active[0]!.deposit), 100n);
    const votes = await nic.governanceVotes({ height: 0, id: 1n });
    assert.equal(votes.length, 2);
    assert.ok(votes.every((v) => v.vote === oasis.governance.VOTE_YES));
    assert.equal(await nic.governanceVotes({ height: 0, id: 7n }), null);
    assert.equal(await nic.governancePendingUpgrades(0), null);

    // A stream opened now sees the closing epoch's events; it ends on the server when the caller leaves.
    // (Over native gRPC: the xhr2 polyfill the client runs on in Node hands over a response only at its end.)
    const streamed: oasis.types.GovernanceEvent[] = [];
    const iterator = grpc
      .stream<oasis.types.GovernanceEvent>(GOVERNANCE_SERVICE, 'WatchEvents')
      [Symbol.asyncIterator]();
    const first = iterator.next();
    await waitFor(() => live.watchers === 1, 'the stream to subscribe');
    let closingHeight = 0;
    while (chain.height <= 2 * EPOCH_INTERVAL) {
      closingHeight = chain.height;
      live.block();
    }
    for (const next of [first, iterator.next()]) streamed.push((await next).value!);
    await iterator.return?.();
    await waitFor(() => live.watchers === 0, 'the stream to end on the server');
    assert.deepEqual(
      streamed.map((e) => Object.keys(e).filter((k) => k !== 'height' && k !== 'tx_hash')),
      [['proposal_executed'], ['proposal_finalized']],
    );
    assert.equal(streamed[1]!.proposal_finalized!.state, oasis.governance.STATE_PASSED);

    const events = await nic.governanceGetEvents(closingHeight);
    assert.deepEqual(
      events.map((e) => Number(e.height)),
      [closingHeight, closingHeight],
    );
    assert.equal(Number(events[1]!.proposal_finalized!.id), 1);

    const proposal = await nic.governanceProposal({ height: 0, id: 1n });
    assert.equal(proposal.state, oasis.governance.STATE_PASSED);
    assert.equal(oasis.quantity.toBigInt(proposal.results!.get(oasis.governance.VOTE_YES)!), 4800n);
    assert.equal(Number((await nic.governanceConsensusParameters(0)).voting_period), 3);
    assert.equal((await nic.governanceProposals(0)).length, 1);
    assert.equal(await nic.governanceActiveProposals(0), null);
    const genesis = await nic.governanceStateToGenesis(0);
    assert.equal(genesis.proposals!.length, 1);
    assert.equal(Number(genesis.params.voting_period), 3);
    assert.equal(genesis.vote_entries!.get(1n)?.length ?? genesis.vote_entries!.get(1 as never)?.length, 2);
  });

  it('an unknown proposal is governance/5; a height not committed is consensus/3', async () => {
    await assert.rejects(
      nic.governanceProposal({ height: 0, id: 99n }),
      (e: { oasisModule?: string; oasisCode?: number }) =>
        e.oasisModule === 'governance' && e.oasisCode === oasis.governance.ERR_NO_SUCH_PROPOSAL_CODE,
    );
    await assert.rejects(
      nic.governanceProposals(chain.height + 10),
      (e: { oasisModule?: string; oasisCode?: number }) => e.oasisModule === 'consensus' && e.oasisCode === 3,
    );
  });
});
