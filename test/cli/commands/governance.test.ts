import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { GrpcServer } from '../../../src/api/grpc_server.ts';
import { ApiRegistry } from '../../../src/api/method.ts';
import { governanceMethods } from '../../../src/api/services/governance.ts';
import { readSignedTxFile } from '../../../src/cli/commands/tx_file.ts';
import { encodeCanonical } from '../../../src/codec/cbor.ts';
import { openSignedTransaction } from '../../../src/consensus/api/transaction.ts';
import { GovernanceBodies } from '../../../src/services/governance/api/methods.ts';
import { Vote } from '../../../src/services/governance/api/proposal.ts';
import { LiveChain } from '../../api/services/live_chain.ts';
import { GovernanceChain } from '../../services/governance/fixture.ts';
import { expectOk } from '../../services/registry/helpers.ts';
import { makeNetwork, runCommand, type TestNetwork } from './harness.ts';

describe('governance gen_submit_proposal / gen_cast_vote', () => {
  let net: TestNetwork;
  let n = 0;
  before(async () => {
    net = await makeNetwork();
  });
  after(() => net.cleanup());

  async function generate(args: string[]) {
    const file = join(net.dir, `gov${n++}.json`);
    const flags = ['--transaction.file', file, '--transaction.nonce', '3', '--transaction.fee.gas', '5000'];
    const r = await runCommand([
      ...args,
      ...flags,
      '--genesis.file',
      net.genesisPath,
      '--signer.dir',
      net.entityDir,
    ]);
    assert.equal(r.code, 0, r.stderr);
    const { signed } = readSignedTxFile(file);
    const opened = openSignedTransaction(encodeCanonical(signed), net.chainContext);
    assert.deepEqual(opened.signer, net.entity.publicKey);
    assert.equal(opened.tx.nonce, 3n);
    return opened.tx;
  }

  it('a change_parameters proposal from a JSON file of changes, decoded by the service', async () => {
    const changes = join(net.dir, 'changes.json');
    writeFileSync(changes, '{"voting_period": 3, "min_proposal_deposit": "50"}');
    const tx = await generate([
      'governance',
      'gen_submit_proposal',
      '--proposal.change_parameters.module',
      'governance',
      '--proposal.change_parameters.changes',
      changes,
    ]);
    assert.equal(tx.method, 'governance.SubmitProposal');
    const content = GovernanceBodies.submitProposal(tx.body);
    assert.equal(content.change_parameters!.module, 'governance');
    assert.deepEqual(
      encodeCanonical(content.change_parameters!.changes),
      encodeCanonical({ voting_period: 3n, min_proposal_deposit: Uint8Array.of(50) }),
    );
  });

  it('upgrade descriptor and cancel_upgrade proposals; a vote', async () => {
    const descriptor = join(net.dir, 'upgrade.json');
    writeFileSync(
      descriptor,
      JSON.stringify({
        v: 1,
        handler: 'test-upgrade',
        target: {
          consensus_protocol: { major: 7 },
          runtime_host_protocol: { major: 5 },
          runtime_committee_protocol: { major: 4 },
        },
        epoch: 500,
      }),
    );
    const up = await generate([
      'governance',
      'gen_submit_proposal',
      '--proposal.upgrade.descriptor',
      descriptor,
    ]);
    assert.equal(GovernanceBodies.submitProposal(up.body).upgrade!.epoch, 500n);
    const cancel = await generate(['governance', 'gen_submit_proposal', '--proposal.cancel_upgrade.id', '4']);
    assert.equal(GovernanceBodies.submitProposal(cancel.body).cancel_upgrade!.proposal_id, 4n);
    const vote = await generate([
      'governance',
      'gen_cast_vote',
      '--vote',
      'abstain',
      '--vote.proposal.id',
      '9',
    ]);
    assert.equal(vote.method, 'governance.CastVote');
    assert.deepEqual(GovernanceBodies.castVote(vote.body), { id: 9n, vote: Vote.abstain });
  });

  it('refuses missing or conflicting kinds, a bad vote, a missing id', async () => {
    const base = ['--transaction.file', join(net.dir, 'x.json'), '--genesis.file', net.genesisPath];
    const cases: Array<[string[], RegExp]> = [
      [['governance', 'gen_submit_proposal'], /exactly one of/],
      [
        [
          'governance',
          'gen_submit_proposal',
          '--proposal.cancel_upgrade.id',
          '1',
          '--proposal.change_parameters.module',
          'x',
        ],
        /exactly one of/,
      ],
      [
        ['governance', 'gen_submit_proposal', '--proposal.change_parameters.module', 'staking'],
        /changes: required/,
      ],
      [['governance', 'gen_cast_vote', '--vote', 'maybe', '--vote.proposal.id', '1'], /yes, no or abstain/],
      [['governance', 'gen_cast_vote', '--vote', 'yes'], /proposal ID required/],
    ];
    for (const [args, message] of cases) {
      const r = await runCommand([...args, ...base, '--signer.dir', net.entityDir]);
      assert.equal(r.code, 1, args.join(' '));
      assert.match(r.stderr, message);
    }
  });
});

describe('governance list_proposals / show_proposal / show_votes against a node socket', () => {
  const chain = new GovernanceChain();
  const live = new LiveChain(chain);
  const registry = new ApiRegistry();
  registry.register(...governanceMethods(live));
  let net: TestNetwork;
  let server: GrpcServer;
  let address = '';

  before(async () => {
    net = await makeNetwork();
    address = `unix:${join(net.dir, 'gov.sock')}`;
    server = new GrpcServer(registry, join(net.dir, 'gov.sock'));
    await server.start();
    expectOk(chain.submit(1, { change_parameters: { module: 'scheduler', changes: { max_validators: 7 } } }));
    expectOk(chain.vote(2, 1n, Vote.no));
    live.block();
  });
  after(async () => {
    await server.stop();
    net.cleanup();
  });

  it('prints proposals and votes as Go JSON', async () => {
    const list = await runCommand(['governance', 'list_proposals', '-a', address]);
    assert.equal(list.code, 0, list.stderr);
    const proposals = JSON.parse(list.stdout) as Array<Record<string, unknown>>;
    assert.equal(proposals.length, 1);
    assert.equal(proposals[0]!.state, 'active');
    assert.equal(proposals[0]!.deposit, '100');
    const shown = await runCommand(['governance', 'show_proposal', '-a', address, '--proposal.id', '1']);
    assert.equal(JSON.parse(shown.stdout).id, 1);
    const votes = await runCommand(['governance', 'show_votes', '-a', address, '--proposal.id', '1']);
    assert.deepEqual(
      (JSON.parse(votes.stdout) as Array<{ vote: string }>).map((v) => v.vote),
      ['no'],
    );
    const missing = await runCommand(['governance', 'proposal_info', '-a', address, '--proposal.id', '5']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /module: governance, code: 5/);
  });
});
