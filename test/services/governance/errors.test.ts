import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GovernanceMethods } from '../../../src/services/governance/api/methods.ts';
import { ProposalState, Vote } from '../../../src/services/governance/api/proposal.ts';
import { GovernanceQueries } from '../../../src/services/governance/api/queries.ts';
import { expectFailure, expectOk } from '../registry/helpers.ts';
import { GovernanceChain, governanceParams, key } from './fixture.ts';

const SUBMIT = GovernanceMethods.submitProposal;
const VOTE = GovernanceMethods.castVote;
const change = (module: string, changes: unknown) => ({ change_parameters: { module, changes } });
const upgrade = (epoch: bigint, handler = 'test-upgrade') => ({
  upgrade: {
    v: 1n,
    handler,
    target: {
      consensus_protocol: { major: 7 },
      runtime_host_protocol: { major: 5 },
      runtime_committee_protocol: { major: 4 },
    },
    epoch,
  },
});

describe('governance bad input: refused with oasis-core codes, only fee and nonce change', () => {
  it('submit: malformed, kinds, metadata, modules, invalid changes, deposit', () => {
    const c = new GovernanceChain();
    const fail = (i: number, body: unknown, module: string, code: number) =>
      expectFailure(c, key(i), SUBMIT, body, module, code);
    fail(1, { bogus: 1 }, 'governance', 1);
    fail(1, {}, 'governance', 1);
    fail(1, { ...upgrade(20n), ...change('scheduler', { max_validators: 3 }) }, 'governance', 1);
    fail(
      1,
      { metadata: { title: 'not allowed' }, ...change('scheduler', { max_validators: 3 }) },
      'governance',
      1,
    );
    fail(1, upgrade(20n, 'x'), 'governance', 1);
    fail(1, change('keymanager', { gas_costs: {} }), 'governance', 1);
    // The module's own validation failures are uncoded, as in oasis-core.
    fail(1, change('scheduler', { min_validators: 0 }), 'unknown', 1);
    fail(1, change('scheduler', {}), 'unknown', 1);
    fail(1, change('scheduler', { max_validators: null }), 'unknown', 1);
    fail(1, change('scheduler', { max_validators_per_entity: 2 }), 'unknown', 1);
    fail(1, change('governance', { stake_threshold: 50n }), 'unknown', 1);
    fail(1, change('governance', { allow_vote_without_entity: true }), 'unknown', 1);
    fail(4, change('scheduler', { max_validators: 3 }), 'staking', 3);
    fail(1, upgrade(5n), 'governance', 2);
    fail(1, { cancel_upgrade: { proposal_id: 99n } }, 'governance', 5);
    assert.equal(c.governance.proposals().length, 0);
  });

  it('submit: change_parameters proposals disabled', () => {
    const c = new GovernanceChain(governanceParams({ enable_change_parameters_proposal: false }));
    expectFailure(c, key(1), SUBMIT, change('scheduler', { max_validators: 3 }), 'governance', 1);
  });

  it('metadata required when allowed, with a 3..100 byte title', () => {
    const c = new GovernanceChain(governanceParams({ allow_proposal_metadata: true }));
    const body = change('scheduler', { max_validators: 3 });
    expectFailure(c, key(1), SUBMIT, body, 'governance', 1);
    expectFailure(c, key(1), SUBMIT, { ...body, metadata: { title: 'ab' } }, 'governance', 1);
    expectOk(c.submit(1, { ...body, metadata: { title: 'Fewer validators', description: 'why' } }));
    assert.equal(c.governance.proposal(1n)!.content.metadata!.title, 'Fewer validators');
  });

  it('vote: not eligible (6), unknown proposal (5), closed (7); a second vote replaces the first', () => {
    const c = new GovernanceChain();
    expectOk(c.submit(1, change('scheduler', { max_validators: 3 })));
    // Key 4 has no entity; entity 3 runs no validator and delegates to none.
    expectFailure(c, key(4), VOTE, { id: 1n, vote: Vote.yes }, 'governance', 6);
    expectFailure(c, key(3), VOTE, { id: 1n, vote: Vote.yes }, 'governance', 6);
    // Eligibility first: an ineligible voter on a missing proposal gets 6.
    expectFailure(c, key(4), VOTE, { id: 9n, vote: Vote.yes }, 'governance', 6);
    expectFailure(c, key(1), VOTE, { id: 9n, vote: Vote.yes }, 'governance', 5);
    expectFailure(c, key(1), VOTE, { id: 1n, vote: 9 }, 'governance', 1);
    c.closeOpenBlock();
    expectOk(c.vote(1, 1n, Vote.no));
    expectOk(c.vote(1, 1n, Vote.yes));
    assert.deepEqual(
      c.governance.votes(1n).map((v) => v.vote),
      [Vote.yes],
    );
    c.advanceToEpoch(2n);
    assert.equal(c.governance.proposal(1n)!.state, ProposalState.rejected);
    expectFailure(c, key(2), VOTE, { id: 1n, vote: Vote.yes }, 'governance', 7);
  });

  it('upgrades: a passed one is pending, a second too close is refused (3), cancel checks (4, 2)', () => {
    const c = new GovernanceChain();
    expectOk(c.submit(1, upgrade(20n)));
    expectOk(c.submit(1, change('scheduler', { max_validators: 3 })));
    for (const v of [1, 2]) expectOk(c.vote(v, 1n, Vote.yes));
    c.advanceToEpoch(2n);
    assert.equal(c.governance.proposal(1n)!.state, ProposalState.passed);
    const pending = GovernanceQueries.pendingUpgrades(c.state) as Array<{ epoch: bigint; handler: string }>;
    assert.deepEqual(
      pending.map((u) => [u.epoch, u.handler]),
      [[20n, 'test-upgrade']],
    );
    expectFailure(c, key(1), SUBMIT, upgrade(25n), 'governance', 3);
    expectFailure(c, key(1), SUBMIT, { cancel_upgrade: { proposal_id: 2n } }, 'governance', 4);
    c.closeOpenBlock();
    expectOk(c.submit(1, upgrade(31n)));
    expectOk(c.submit(2, { cancel_upgrade: { proposal_id: 1n } }));
  });
});
