/**
 * Stake claims (oasis-core `EscrowAccount.AddStakeClaim` / `CheckStakeClaims`, `apps/staking/state/
 * accumulator.go`): the registry claims stake for an entity and its nodes/runtimes; the sum of all claims,
 * with global thresholds resolved from the parameters, must not exceed the active escrow balance when a
 * claim is added. `debug_bypass_stake` turns the checks off.
 */
import type { Address } from '../../crypto/address.ts';
import { plainError } from '../mux/result.ts';
import type { Account, StakeThreshold } from './api/account.ts';
import { insufficientStakeFor, StakingErrors } from './api/errors.ts';
import type { StakingParameters } from './api/params.ts';
import type { StakingState, StakingStateReader } from './state.ts';

/** The amount a list of thresholds requires; throws staking/6 for a kind without a parameter. */
export function thresholdsTotal(params: StakingParameters, thresholds: readonly StakeThreshold[]): bigint {
  let total = 0n;
  for (const t of thresholds) {
    if (t.global !== undefined) {
      const v = params.thresholds.get(t.global);
      if (v === undefined) throw StakingErrors.invalidThreshold();
      total += v;
    }
    if (t.const !== undefined) total += t.const;
  }
  return total;
}

function claimsTotal(params: StakingParameters, account: Account): bigint {
  let total = 0n;
  for (const ts of account.escrow.claims.values()) total += thresholdsTotal(params, ts);
  return total;
}

/** Throws staking/4 when the account's claims exceed its active escrow. */
export function checkStakeClaims(st: StakingStateReader, address: Address): void {
  const params = st.parameters();
  if (params.debugBypassStake) return;
  const account = st.account(address);
  const needed = claimsTotal(params, account);
  if (needed > account.escrow.active.balance)
    throw insufficientStakeFor(needed, account.escrow.active.balance);
}

/** Adds (or replaces) a claim, failing with staking/4 when the escrow cannot back all claims. */
export function addStakeClaim(
  st: StakingState,
  address: Address,
  claim: string,
  thresholds: readonly StakeThreshold[],
): void {
  const params = st.parameters();
  if (params.debugBypassStake) return;
  const account = st.account(address);
  account.escrow.claims.set(claim, [...thresholds]);
  const needed = claimsTotal(params, account);
  if (needed > account.escrow.active.balance)
    throw insufficientStakeFor(needed, account.escrow.active.balance);
  st.setAccount(address, account);
}

/** Removes a claim; a missing claim is an error (plain, as oasis-core). */
export function removeStakeClaim(st: StakingState, address: Address, claim: string): void {
  const params = st.parameters();
  if (params.debugBypassStake) return;
  const account = st.account(address);
  if (!account.escrow.claims.delete(claim)) throw plainError(`staking: claim does not exist: ${claim}`);
  st.setAccount(address, account);
}
