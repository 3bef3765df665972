/**
 * One staking account as the accounts page shows it: general balance and nonce, active and debonding
 * escrow, commission schedule, the delegations it made (with what their shares are worth now) and its
 * debonding delegations with the epoch each ends.
 */
import { addressFromBech32, addressToBech32 } from '../../crypto/address.ts';
import { debondingDelegationCodec, delegationCodec } from '../../services/staking/api/account.ts';
import { StakingQueries } from '../../services/staking/api/queries.ts';
import type { DashboardBackend } from './backend.ts';
import { latestState } from './chain_reads.ts';
import { DashboardErrors } from './errors.ts';
import { accountAt, sharesToAmount } from './staking_reads.ts';

/** An account as `/api/accounts/<address>` answers it (amounts in base units, decimal). */
export interface AccountView {
  height: number;
  address: string;
  balance: string;
  nonce: string;
  escrow: { active: string; active_shares: string; debonding: string; debonding_shares: string };
  commission_rates: Array<{ start: string; rate: string }>;
  delegations: Array<{ to: string; shares: string; amount: string }>;
  debonding: Array<{ from: string; shares: string; amount: string; end_epoch: string }>;
  delegators: number;
}

/** The account at `addressText` (`oasis1…`) at the latest height; `bad_request` for a malformed address. */
export function accountView(b: DashboardBackend, addressText: string): AccountView {
  let address: Uint8Array;
  try {
    address = addressFromBech32(addressText);
  } catch (err) {
    throw DashboardErrors.badRequest((err as Error).message);
  }
  const { height, state } = latestState(b);
  const account = accountAt(state, address);
  const delegations = [...StakingQueries.delegationsFor(state, address)].map(([to, d]) => {
    const { shares } = delegationCodec.decode(d as never, 'delegation');
    const amount = sharesToAmount(shares, accountAt(state, to).escrow.active);
    return { to: addressToBech32(to), shares: shares.toString(), amount: amount.toString() };
  });
  const debonding = [...StakingQueries.debondingDelegationsFor(state, address)].flatMap(([from, list]) => {
    const pool = accountAt(state, from).escrow.debonding;
    return list.map((raw) => {
      const d = debondingDelegationCodec.decode(raw as never, 'debonding');
      return {
        from: addressToBech32(from),
        shares: d.shares.toString(),
        amount: sharesToAmount(d.shares, pool).toString(),
        end_epoch: d.debondEndTime.toString(),
      };
    });
  });
  const { active, debonding: debondingPool, commissionSchedule } = account.escrow;
  return {
    height,
    address: addressToBech32(address),
    balance: account.general.balance.toString(),
    nonce: account.general.nonce.toString(),
    escrow: {
      active: active.balance.toString(),
      active_shares: active.totalShares.toString(),
      debonding: debondingPool.balance.toString(),
      debonding_shares: debondingPool.totalShares.toString(),
    },
    commission_rates: commissionSchedule.rates.map((r) => ({
      start: r.start.toString(),
      rate: r.rate.toString(),
    })),
    delegations,
    debonding,
    delegators: StakingQueries.delegationsTo(state, address).size,
  };
}
