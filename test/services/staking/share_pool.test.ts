import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { depositToPool, stakeForShares, withdrawFromPool } from '../../../src/services/staking/share_pool.ts';

describe('share pool math', () => {
  it('mints 1:1 into an empty pool and floors later deposits', () => {
    const pool = { balance: 0n, totalShares: 0n };
    assert.equal(depositToPool(pool, 100n), 100n);
    pool.balance += 50n; // rewards raise the share price to 1.5
    assert.equal(depositToPool(pool, 100n), 66n); // floor(100 × 100 / 150)
    assert.deepEqual(pool, { balance: 250n, totalShares: 166n });
  });

  it('floors withdrawals and never pays more than deposited', () => {
    const pool = { balance: 1000n, totalShares: 3n };
    assert.equal(stakeForShares(pool, 1n), 333n);
    assert.equal(withdrawFromPool(pool, 1n), 333n);
    assert.deepEqual(pool, { balance: 667n, totalShares: 2n });
  });

  it('refuses deposits into a pool with shares but no balance', () => {
    assert.throws(() => depositToPool({ balance: 0n, totalShares: 5n }, 10n), /no balance/);
  });
});
