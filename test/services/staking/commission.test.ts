import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type CommissionSchedule,
  type CommissionScheduleRules,
  currentRate,
} from '../../../src/services/staking/api/commission.ts';
import {
  amendAndPruneAndValidate,
  prune,
  pruneAndValidate,
} from '../../../src/services/staking/commission.ts';

const rules: CommissionScheduleRules = {
  rateChangeInterval: 10n,
  rateBoundLead: 30n,
  maxRateSteps: 3,
  maxBoundSteps: 3,
  minCommissionRate: 100n,
};

const schedule = (
  rates: Array<[bigint, bigint]>,
  bounds: Array<[bigint, bigint, bigint]>,
): CommissionSchedule => ({
  rates: rates.map(([start, rate]) => ({ start, rate })),
  bounds: bounds.map(([start, rateMin, rateMax]) => ({ start, rateMin, rateMax })),
});

describe('commission schedules', () => {
  it('reports the rate of the latest started step', () => {
    const cs = schedule(
      [
        [10n, 500n],
        [20n, 600n],
      ],
      [],
    );
    assert.equal(currentRate(cs, 9n), undefined);
    assert.equal(currentRate(cs, 10n), 500n);
    assert.equal(currentRate(cs, 25n), 600n);
  });

  it('prunes steps no longer in force, keeping the active one', () => {
    const cs = schedule(
      [
        [10n, 500n],
        [20n, 600n],
        [30n, 700n],
      ],
      [
        [10n, 0n, 1000n],
        [20n, 0n, 900n],
      ],
    );
    prune(cs, 25n);
    assert.deepEqual(
      cs.rates.map((r) => r.start),
      [20n, 30n],
    );
    assert.deepEqual(
      cs.bounds.map((b) => b.start),
      [20n],
    );
  });

  it('splices amendments over future steps', () => {
    const cs = schedule([[10n, 500n]], [[10n, 100n, 1000n]]);
    amendAndPruneAndValidate(
      cs,
      schedule(
        [
          [50n, 800n],
          [60n, 900n],
        ],
        [[50n, 100n, 1000n]],
      ),
      rules,
      15n,
    );
    assert.deepEqual(
      cs.rates.map((r) => [r.start, r.rate]),
      [
        [10n, 500n],
        [50n, 800n],
        [60n, 900n],
      ],
    );
    amendAndPruneAndValidate(cs, schedule([[60n, 700n]], []), rules, 15n);
    assert.deepEqual(
      cs.rates.map((r) => [r.start, r.rate]),
      [
        [10n, 500n],
        [50n, 800n],
        [60n, 700n],
      ],
    );
  });

  it('rejects misaligned, unordered, below-minimum, over-unity, too many and out-of-bound steps', () => {
    const base = () => schedule([[10n, 500n]], [[10n, 100n, 1000n]]);
    const bad: Array<[CommissionSchedule, RegExp]> = [
      [schedule([[55n, 500n]], []), /aligned/],
      [
        schedule(
          [
            [60n, 500n],
            [50n, 500n],
          ],
          [],
        ),
        /previous/,
      ],
      [schedule([[60n, 50n]], []), /minimum/],
      [schedule([[60n, 200_000n]], []), /unity/],
      [
        schedule(
          [
            [60n, 500n],
            [70n, 500n],
            [80n, 500n],
            [90n, 500n],
          ],
          [],
        ),
        /exceeds/,
      ],
      [schedule([[60n, 5000n]], []), /greater than maximum/],
      [schedule([[10n, 500n]], []), /on or before/],
      [schedule([], [[40n, 100n, 1000n]]), /must not alter before/],
    ];
    for (const [amendment, re] of bad) {
      assert.throws(() => amendAndPruneAndValidate(base(), amendment, rules, 15n), re);
    }
  });

  it('validates genesis schedules: rates and bounds must start together in the future', () => {
    assert.throws(
      () => pruneAndValidate(schedule([[20n, 500n]], [[30n, 100n, 1000n]]), rules, 0n),
      /don't match/,
    );
    pruneAndValidate(schedule([[20n, 500n]], [[20n, 100n, 1000n]]), rules, 0n);
  });
});
