import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { quantityToBytes } from '../../../src/codec/quantity.ts';
import { ReservedAddresses } from '../../../src/crypto/address.ts';
import { GovernanceEventKinds } from '../../../src/services/governance/api/events.ts';
import { ProposalState, Vote } from '../../../src/services/governance/api/proposal.ts';
import { SchedulerStateReader } from '../../../src/services/scheduler/state.ts';
import { hexOf } from '../../../src/services/staking/api/address.ts';
import { BodyEncoders, StakingMethods } from '../../../src/services/staking/api/methods.ts';
import { expectOk } from '../registry/helpers.ts';
import { addr, EPOCH_INTERVAL, GovernanceChain, governanceParams, key } from './fixture.ts';

const maxValidators = (changes: number) => ({
  change_parameters: { module: 'scheduler', changes: { max_validators: changes } },
});

/** Runs empty blocks until the EndBlock of epoch `e`'s first block has run. */
const toEpoch = (c: GovernanceChain, e: bigint) => c.advanceToEpoch(e);

describe('governance proposals', () => {
  it('a change_parameters proposal both validators back passes at closing, applies, and returns the deposit', () => {
    const c = new GovernanceChain();
    const before = c.staking.account(addr(1)).general.balance;
    const submitted = c.block([c.sign(key(1), 'governance.SubmitProposal', maxValidators(7))]);
    expectOk(submitted.results[0]!);
    const p = c.governance.proposal(1n)!;
    assert.equal(p.state, ProposalState.active);
    assert.equal(p.created_at, 0n);
    assert.equal(p.closes_at, 2n);
    assert.equal(p.deposit, 100n);
    assert.equal(c.staking.governanceDeposits(), 100n);
    assert.equal(c.staking.account(addr(1)).general.balance, before - 100n);
    const kinds = submitted.results[0]!.events.map((e) => `${e.module}.${e.kind}`);
    assert.deepEqual(kinds, ['staking.transfer', 'governance.proposal_submitted']);

    expectOk(c.vote(1, 1n, Vote.yes));
    expectOk(c.vote(2, 1n, Vote.yes));
    assert.equal(c.governance.votes(1n).length, 2);

    const outcomes = toEpoch(c, 2n);
    const closing = outcomes.at(-1)!.events;
    const gov = closing.filter((e) => e.module === 'governance').map((e) => e.kind);
    assert.deepEqual(gov, [GovernanceEventKinds.proposalExecuted, GovernanceEventKinds.proposalFinalized]);
    const closed = c.governance.proposal(1n)!;
    assert.equal(closed.state, ProposalState.passed);
    assert.deepEqual([...closed.results!], [[Vote.yes, 4800n]]);
    assert.equal(new SchedulerStateReader(c.state).parameters().max_validators, 7);
    assert.equal(c.staking.governanceDeposits(), 0n);
    assert.equal(c.staking.account(addr(1)).general.balance, before);
    assert.equal(c.governance.activeProposals().length, 0);
    // Nothing happens before the closing epoch.
    assert.equal(c.height, Number(2n) * EPOCH_INTERVAL + 1);
  });

  it('a proposal short of the stake threshold is rejected, its deposit goes to the common pool', () => {
    const c = new GovernanceChain();
    expectOk(c.submit(2, maxValidators(7)));
    expectOk(c.vote(2, 1n, Vote.yes)); // 3200 / 4800 = 66 % < 67 %
    const pool = c.staking.commonPool();
    const outcomes = toEpoch(c, 2n);
    const closed = c.governance.proposal(1n)!;
    assert.equal(closed.state, ProposalState.rejected);
    assert.equal(new SchedulerStateReader(c.state).parameters().max_validators, 10);
    assert.equal(c.staking.commonPool(), pool + 100n);
    assert.equal(c.staking.governanceDeposits(), 0n);
    const transfer = outcomes.at(-1)!.events.find((e) => e.module === 'staking' && e.kind === 'transfer')!;
    const value = transfer.value as { from: Uint8Array; to: Uint8Array };
    assert.deepEqual(value.from, ReservedAddresses.governanceDeposits);
    assert.deepEqual(value.to, ReservedAddresses.commonPool);
  });

  it("a delegator's vote overrides its validator's for its shares", () => {
    const c = new GovernanceChain();
    expectOk(
      c.run(key(3), StakingMethods.addEscrow, BodyEncoders.escrow({ account: addr(2), amount: 800n })),
    );
    expectOk(c.submit(1, maxValidators(7)));
    expectOk(c.vote(1, 1n, Vote.yes));
    expectOk(c.vote(2, 1n, Vote.yes));
    expectOk(c.vote(3, 1n, Vote.no));
    assert.equal(c.vote(4, 1n, Vote.abstain).error?.code, 6); // no entity, no delegation
    toEpoch(c, 2n);
    const closed = c.governance.proposal(1n)!;
    // Entity 2's pool is 4000 (3200 own + 800 delegated): 800 move to "no". Yes = 1600 + 3200.
    assert.deepEqual(
      [...closed.results!],
      [
        [Vote.yes, 4800n],
        [Vote.no, 800n],
      ],
    );
    assert.equal(closed.invalid_votes, 0n);
    assert.equal(closed.state, ProposalState.passed); // 4800 / 5600 = 85 %
  });

  it('an execution that no longer validates at closing fails the proposal, changes nothing, returns the deposit', () => {
    const c = new GovernanceChain();
    // Both valid when submitted; applied in id order, the second breaks voting_period < upgrade_min_epoch_diff.
    const first = { change_parameters: { module: 'governance', changes: { voting_period: 8n } } };
    const second = { change_parameters: { module: 'governance', changes: { upgrade_min_epoch_diff: 5n } } };
    expectOk(c.submit(1, first));
    expectOk(c.submit(2, second));
    for (const id of [1n, 2n]) for (const v of [1, 2]) expectOk(c.vote(v, id, Vote.yes));
    const balance = c.staking.account(addr(2)).general.balance;
    toEpoch(c, 2n);
    assert.equal(c.governance.proposal(1n)!.state, ProposalState.passed);
    assert.equal(c.governance.proposal(2n)!.state, ProposalState.failed);
    const params = c.governance.parameters();
    assert.equal(params.voting_period, 8n);
    assert.equal(params.upgrade_min_epoch_diff, 10n);
    assert.equal(c.staking.account(addr(2)).general.balance, balance + 100n);
  });

  it('a staking parameter change is validated by staking and applied', () => {
    const c = new GovernanceChain(governanceParams());
    expectOk(
      c.submit(1, {
        change_parameters: {
          module: 'staking',
          changes: { min_transfer: new Uint8Array([5]), disable_transfers: null },
        },
      }),
    );
    for (const v of [1, 2]) expectOk(c.vote(v, 1n, Vote.yes));
    toEpoch(c, 2n);
    assert.equal(c.staking.parameters().minTransfer, 5n);
  });

  it('a raised min_commission_rate lifts the commission rates and bounds below it', () => {
    const c = new GovernanceChain(governanceParams(), {
      staking: (g) => {
        g.ledger.get(hexOf(addr(1)))!.escrow.commissionSchedule = {
          rates: [{ start: 0n, rate: 10_000n }],
          bounds: [{ start: 0n, rateMin: 5_000n, rateMax: 20_000n }],
        };
      },
    });
    const change = { min_commission_rate: quantityToBytes(15_000n) };
    expectOk(c.submit(2, { change_parameters: { module: 'staking', changes: change } }));
    for (const v of [1, 2]) expectOk(c.vote(v, 1n, Vote.yes));
    toEpoch(c, 2n);
    assert.equal(c.governance.proposal(1n)!.state, ProposalState.passed);
    assert.equal(c.staking.parameters().commissionScheduleRules.minCommissionRate, 15_000n);
    assert.deepEqual(c.staking.account(addr(1)).escrow.commissionSchedule, {
      rates: [{ start: 0n, rate: 15_000n }],
      bounds: [{ start: 0n, rateMin: 15_000n, rateMax: 20_000n }],
    });
  });
});
