/**
 * Share-pool math (oasis-core `SharePool`): stake in an escrow pool is owned in shares. Deposits mint
 * floor(amount × total_shares / balance) shares (1:1 into an empty pool); withdrawals pay
 * floor(shares × balance / total_shares). Rounding always favours the pool, so no round trip can gain.
 */

import { plainError } from '../mux/result.ts';
import type { SharePool } from './api/account.ts';

/** Base units `shares` are worth (0 when the pool or the shares are empty). */
export function stakeForShares(pool: SharePool, shares: bigint): bigint {
  if (pool.totalShares === 0n || pool.balance === 0n || shares === 0n) return 0n;
  return (shares * pool.balance) / pool.totalShares;
}

/** Shares a deposit of `amount` would mint. Throws when the pool has shares but no balance. */
export function sharesForStake(pool: SharePool, amount: bigint): bigint {
  if (pool.totalShares === 0n) return amount;
  if (pool.balance === 0n) throw plainError('staking: share pool has shares but no balance');
  return (amount * pool.totalShares) / pool.balance;
}

/** Adds `amount` to the pool and returns the shares minted for it. */
export function depositToPool(pool: SharePool, amount: bigint): bigint {
  const shares = sharesForStake(pool, amount);
  pool.balance += amount;
  pool.totalShares += shares;
  return shares;
}

/** Redeems `shares` from the pool and returns the base units paid out. */
export function withdrawFromPool(pool: SharePool, shares: bigint): bigint {
  if (shares > pool.totalShares) throw plainError('staking: withdrawing more shares than the pool has');
  const units = stakeForShares(pool, shares);
  pool.totalShares -= shares;
  pool.balance -= units;
  return units;
}
