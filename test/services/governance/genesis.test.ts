import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeCanonical, encodeCanonical } from '../../../src/codec/cbor.ts';
import { parseJson, stringifyJson } from '../../../src/codec/typed.ts';
import { governanceGenesisCodec } from '../../../src/services/governance/api/genesis.ts';
import { ProposalState, Vote } from '../../../src/services/governance/api/proposal.ts';
import { GovernanceQueries } from '../../../src/services/governance/api/queries.ts';
import { expectOk } from '../registry/helpers.ts';
import { GovernanceChain, governanceParams } from './fixture.ts';

const change = (n: number) => ({
  change_parameters: { module: 'scheduler', changes: { max_validators: n } },
});

/** A chain with proposal 1 passed and proposal 2 still active (one vote). */
function chainWithHistory(): GovernanceChain {
  const c = new GovernanceChain();
  expectOk(c.submit(1, change(7)));
  for (const v of [1, 2]) expectOk(c.vote(v, 1n, Vote.yes));
  c.advanceToEpoch(2n);
  expectOk(c.submit(2, change(8)));
  expectOk(c.vote(1, 2n, Vote.no));
  return c;
}

describe('governance genesis', () => {
  it('StateToGenesis round-trips through CBOR and JSON and reloads into the same proposals and votes', () => {
    const c = chainWithHistory();
    const cbor = GovernanceQueries.stateToGenesis(c.state);
    const section = governanceGenesisCodec.decode(decodeCanonical(encodeCanonical(cbor)), 'governance');
    assert.equal(section.proposals.length, 2);
    assert.deepEqual([...section.vote_entries.keys()], [1n, 2n]);
    const json = governanceGenesisCodec.fromJson(
      parseJson(stringifyJson(governanceGenesisCodec.toJson(section))),
      'g',
    );
    assert.deepEqual(json, section);
    assert.match(stringifyJson(governanceGenesisCodec.toJson(section)), /"state": "passed"/);

    const reloaded = new GovernanceChain(governanceParams(), {
      governance: section,
      deposits: 100n,
      baseEpoch: 2n,
    });
    assert.deepEqual(GovernanceQueries.proposals(reloaded.state), GovernanceQueries.proposals(c.state));
    assert.deepEqual(GovernanceQueries.votes(reloaded.state, 2n), GovernanceQueries.votes(c.state, 2n));
    assert.deepEqual(
      GovernanceQueries.activeProposals(reloaded.state),
      GovernanceQueries.activeProposals(c.state),
    );
    expectOk(reloaded.submit(1, change(9)));
    assert.equal(reloaded.governance.proposal(3n)?.state, ProposalState.active);
  });

  it('refuses proposals whose active deposits differ from the staking governance deposits', () => {
    const section = governanceGenesisCodec.decode(
      decodeCanonical(encodeCanonical(GovernanceQueries.stateToGenesis(chainWithHistory().state))),
      'governance',
    );
    assert.throws(
      () => new GovernanceChain(governanceParams(), { governance: section, deposits: 0n, baseEpoch: 2n }),
      /deposits/,
    );
    assert.throws(() => new GovernanceChain(governanceParams({ stake_threshold: 66n })), /stake_threshold/);
  });
});
