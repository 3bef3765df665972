/**
 * Staking invariants (oasis-core `staking/api/sanity_check.go` and the supplementary sanity app): the
 * token supply is conserved — Σ general + active escrow + debonding escrow + common pool + last block
 * fees + governance deposits + fees still in the block's accumulator = total supply — and every share
 * pool's total equals the shares its (debonding) delegations hold.
 */
import type { Address } from '../../crypto/address.ts';
import { plainError } from '../mux/result.ts';
import { hexOf } from './api/address.ts';
import type { StakingStateReader } from './state.ts';

/** Sums of everything that holds tokens. */
export interface SupplyBreakdown {
  general: bigint;
  active: bigint;
  debonding: bigint;
  commonPool: bigint;
  lastBlockFees: bigint;
  governanceDeposits: bigint;
  pendingFees: bigint;
  totalSupply: bigint;
}

/** Adds up where every token is. */
export function supplyBreakdown(st: StakingStateReader, pendingFees = 0n): SupplyBreakdown {
  let general = 0n;
  let active = 0n;
  let debonding = 0n;
  for (const [, a] of st.accounts()) {
    general += a.general.balance;
    active += a.escrow.active.balance;
    debonding += a.escrow.debonding.balance;
  }
  return {
    general,
    active,
    debonding,
    commonPool: st.commonPool(),
    lastBlockFees: st.lastBlockFees(),
    governanceDeposits: st.governanceDeposits(),
    pendingFees,
    totalSupply: st.totalSupply(),
  };
}

function sumShares(entries: Iterable<[string, bigint]>): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const [k, v] of entries) out.set(k, (out.get(k) ?? 0n) + v);
  return out;
}

function* delegationShares(st: StakingStateReader): Iterable<[string, bigint]> {
  for (const [escrow, , d] of st.allDelegations()) yield [hexOf(escrow), d.shares];
}

function* debondingShares(st: StakingStateReader): Iterable<[string, bigint]> {
  for (const e of st.debondingDelegations()) yield [hexOf(e.escrow), e.delegation.shares];
}

function describe(address: Address): string {
  return hexOf(address);
}

/** Throws a plain error naming the first broken invariant. */
export function checkStakingInvariants(st: StakingStateReader, pendingFees = 0n): void {
  const s = supplyBreakdown(st, pendingFees);
  const sum =
    s.general +
    s.active +
    s.debonding +
    s.commonPool +
    s.lastBlockFees +
    s.governanceDeposits +
    s.pendingFees;
  if (sum !== s.totalSupply) {
    throw plainError(`staking: sanity: balances sum to ${sum}, total supply is ${s.totalSupply}`);
  }
  const active = sumShares(delegationShares(st));
  const debonding = sumShares(debondingShares(st));
  const seen = new Set<string>();
  for (const [address, a] of st.accounts()) {
    const k = hexOf(address);
    seen.add(k);
    if ((active.get(k) ?? 0n) !== a.escrow.active.totalShares) {
      throw plainError(`staking: sanity: active shares of ${describe(address)} do not match its delegations`);
    }
    if ((debonding.get(k) ?? 0n) !== a.escrow.debonding.totalShares) {
      throw plainError(
        `staking: sanity: debonding shares of ${describe(address)} do not match its delegations`,
      );
    }
  }
  for (const k of [...active.keys(), ...debonding.keys()]) {
    if (!seen.has(k)) throw plainError(`staking: sanity: delegation to ${k} which has no account`);
  }
}
