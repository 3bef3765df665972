/** Staking reads the pages share: a typed account through the staking queries, and shares as amounts. */
import { type Account, accountCodec, type SharePool } from '../../services/staking/api/account.ts';
import { StakingQueries } from '../../services/staking/api/queries.ts';
import type { StateReader } from '../../state/api.ts';

/** The staking account of `address` (empty when it has none). */
export function accountAt(state: StateReader, address: Uint8Array): Account {
  return accountCodec.decode(StakingQueries.account(state, address) as never, 'account');
}

/** What `shares` of `pool` are worth in base units (0 for an empty pool), rounding down as staking does. */
export function sharesToAmount(shares: bigint, pool: SharePool): bigint {
  return pool.totalShares === 0n ? 0n : (shares * pool.balance) / pool.totalShares;
}
