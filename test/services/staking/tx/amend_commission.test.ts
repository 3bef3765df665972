import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BodyEncoders, StakingMethods } from '../../../../src/services/staking/api/methods.ts';
import { addr, makeGenesis, TestChain } from '../fixture.ts';
import { expectFailure } from './helpers.ts';

const amend = (rates: Array<[bigint, bigint]>, bounds: Array<[bigint, bigint, bigint]>) =>
  BodyEncoders.amendCommissionSchedule({
    amendment: {
      rates: rates.map(([start, rate]) => ({ start, rate })),
      bounds: bounds.map(([start, rateMin, rateMax]) => ({ start, rateMin, rateMax })),
    },
  });

function staked(): TestChain {
  const chain = new TestChain(
    makeGenesis([
      [1, 10_000n],
      [2, 10_000n],
    ]),
  );
  chain.run(1, StakingMethods.addEscrow, BodyEncoders.escrow({ account: addr(1), amount: 200n }));
  return chain;
}

describe('staking.AmendCommissionSchedule', () => {
  it('sets a first schedule starting next epoch', () => {
    const chain = staked();
    const res = chain.run(
      1,
      StakingMethods.amendCommissionSchedule,
      amend([[1n, 5000n]], [[1n, 1000n, 20_000n]]),
    );
    assert.equal(res.error, undefined, res.error?.message);
    const cs = chain.staking.account(addr(1)).escrow.commissionSchedule;
    assert.deepEqual(cs.rates, [{ start: 1n, rate: 5000n }]);
    assert.deepEqual(
      chain.staking.commissionScheduleAddresses().map((a) => a[20]),
      [addr(1)[20]],
    );
  });

  it('needs entity + validator thresholds in escrow (staking/4)', () => {
    const chain = staked();
    expectFailure(
      chain,
      2,
      StakingMethods.amendCommissionSchedule,
      amend([[1n, 1n]], [[1n, 0n, 10n]]),
      'staking',
      4,
    );
  });

  it('rejects rates now or past, out of bound, over unity and later bounds inside the lead', () => {
    const chain = staked();
    expectFailure(
      chain,
      1,
      StakingMethods.amendCommissionSchedule,
      amend([[0n, 1n]], [[1n, 0n, 10n]]),
      'unknown',
      1,
    );
    expectFailure(
      chain,
      1,
      StakingMethods.amendCommissionSchedule,
      amend([[1n, 50n]], [[1n, 0n, 10n]]),
      'unknown',
      1,
    );
    expectFailure(
      chain,
      1,
      StakingMethods.amendCommissionSchedule,
      amend([[1n, 200_000n]], [[1n, 0n, 200_000n]]),
      'unknown',
      1,
    );
    chain.run(1, StakingMethods.amendCommissionSchedule, amend([[1n, 5n]], [[1n, 0n, 10n]]));
    // A second bound change must start ≥ now + 1 + rate_bound_lead (2) = 3.
    expectFailure(chain, 1, StakingMethods.amendCommissionSchedule, amend([], [[2n, 0n, 20n]]), 'unknown', 1);
    assert.equal(
      chain.run(1, StakingMethods.amendCommissionSchedule, amend([], [[3n, 0n, 20n]])).error,
      undefined,
    );
  });
});
