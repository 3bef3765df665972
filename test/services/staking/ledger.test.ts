import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CodedError } from '../../../src/errors.ts';
import { newBlockInfo, ServiceContext } from '../../../src/services/mux/context.ts';
import { fixedIntervalEpochs } from '../../../src/services/mux/epoch.ts';
import {
  discardGovernanceDeposit,
  transferFromCommonPool,
  transferFromGovernanceDeposits,
  transferGeneral,
  transferToGovernanceDeposits,
} from '../../../src/services/staking/ledger.ts';
import { checkStakingInvariants } from '../../../src/services/staking/sanity.ts';
import { StakingState } from '../../../src/services/staking/state.ts';
import { addr, makeGenesis, TestChain } from './fixture.ts';

function setup() {
  const chain = new TestChain(makeGenesis([[1, 100n]], { commonPool: 50n }));
  const ctx = new ServiceContext({
    mode: 'end',
    block: newBlockInfo(1, 0),
    state: chain.state,
    epochs: fixedIntervalEpochs(10),
  });
  return { ctx, st: new StakingState(chain.state) };
}

describe('ledger helpers for other services', () => {
  it('moves between accounts, pools and governance deposits, conserving supply', () => {
    const { ctx, st } = setup();
    transferGeneral(ctx, st, addr(1), addr(2), 30n);
    assert.equal(transferFromCommonPool(ctx, st, addr(2), 80n), 50n);
    transferToGovernanceDeposits(ctx, st, addr(2), 60n);
    transferFromGovernanceDeposits(ctx, st, addr(1), 10n);
    discardGovernanceDeposit(ctx, st, 20n);
    assert.equal(st.account(addr(1)).general.balance, 80n);
    assert.equal(st.account(addr(2)).general.balance, 20n);
    assert.equal(st.governanceDeposits(), 30n);
    assert.equal(st.commonPool(), 20n);
    checkStakingInvariants(st);
    assert.equal(ctx.events.filter((e) => e.kind === 'transfer').length, 5);
  });

  it('reports staking/3 for an uncovered transfer and refuses overdrawn deposits', () => {
    const { ctx, st } = setup();
    assert.throws(
      () => transferGeneral(ctx, st, addr(1), addr(2), 101n),
      (e) => CodedError.is(e, 'staking', 3),
    );
    assert.throws(() => transferFromGovernanceDeposits(ctx, st, addr(1), 1n), /insufficient/);
  });
});
