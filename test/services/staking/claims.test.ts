import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CodedError } from '../../../src/errors.ts';
import { addStakeClaim, checkStakeClaims, removeStakeClaim } from '../../../src/services/staking/claims.ts';
import { StakingState } from '../../../src/services/staking/state.ts';
import { memoryState } from '../../../src/state/overlay.ts';
import { addr, funded, testParams } from './fixture.ts';

function setup(active: bigint, bypass = false) {
  const st = new StakingState(memoryState());
  st.setParameters(testParams({ debugBypassStake: bypass })); // every threshold is 100
  const a = funded(0n);
  a.escrow.active = { balance: active, totalShares: active };
  st.setAccount(addr(1), a);
  return st;
}

describe('stake claims', () => {
  it('adds claims while the escrow backs them all, then refuses with staking/4', () => {
    const st = setup(250n);
    addStakeClaim(st, addr(1), 'entity', [{ global: 0 }]);
    addStakeClaim(st, addr(1), 'node', [{ global: 1 }, { const: 50n }]);
    checkStakeClaims(st, addr(1));
    assert.throws(
      () => addStakeClaim(st, addr(1), 'more', [{ const: 1n }]),
      (e) =>
        CodedError.is(e, 'staking', 4) &&
        /needs 251 base units in active escrow, has 250$/.test((e as Error).message),
    );
    removeStakeClaim(st, addr(1), 'node');
    addStakeClaim(st, addr(1), 'more', [{ const: 150n }]);
    assert.deepEqual([...st.account(addr(1)).escrow.claims.keys()].sort(), ['entity', 'more']);
  });

  it('reports claims above escrow after a reclaim, and unknown claims', () => {
    const st = setup(100n);
    addStakeClaim(st, addr(1), 'entity', [{ global: 0 }]);
    const a = st.account(addr(1));
    a.escrow.active.balance = 99n;
    st.setAccount(addr(1), a);
    assert.throws(
      () => checkStakeClaims(st, addr(1)),
      (e) =>
        CodedError.is(e, 'staking', 4) &&
        /needs 100 base units in active escrow, has 99$/.test((e as Error).message),
    );
    assert.throws(() => removeStakeClaim(st, addr(1), 'nope'), /does not exist/);
  });

  it('debug_bypass_stake turns the checks off', () => {
    const st = setup(0n, true);
    addStakeClaim(st, addr(1), 'entity', [{ global: 0 }]);
    checkStakeClaims(st, addr(1));
  });
});
