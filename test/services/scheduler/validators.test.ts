import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toHex } from '../../../src/codec/bytes.ts';
import type { ValidatorSet } from '../../../src/services/scheduler/state.ts';
import { diffValidators, validatorUpdatesOf } from '../../../src/services/scheduler/validators.ts';

const pk = (n: number) => new Uint8Array(32).fill(n);
const set = (entries: Array<[number, bigint]>): ValidatorSet =>
  entries.map(([n, power]) => [pk(n), { id: pk(100 + n), entity_id: pk(200 + n), voting_power: power }]);
const show = (u: ReturnType<typeof diffValidators>) =>
  u.map((x) => [toHex(x.publicKey).slice(0, 2), x.power]);

describe('validator set diff', () => {
  it('removes with power 0, adds new keys, changes powers, keeps unchanged ones out', () => {
    const current = set([
      [1, 10n],
      [2, 20n],
      [3, 30n],
    ]);
    const next = set([
      [2, 20n],
      [3, 35n],
      [4, 5n],
    ]);
    assert.deepEqual(show(diffValidators(current, next)), [
      ['01', 0n],
      ['03', 35n],
      ['04', 5n],
    ]);
    assert.deepEqual(diffValidators(next, next), []);
    assert.deepEqual(show(diffValidators([], next)), show(validatorUpdatesOf(next)));
  });
});
