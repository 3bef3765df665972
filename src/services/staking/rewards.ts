/**
 * Staking rewards from the common pool (oasis-core `AddRewards` / `AddRewardSingleAttenuated`): an escrow
 * account earns floor(active balance × factor × scale [× num] / 10^8 [/ den]) under the active reward step.
 * The non-commission part is added to the active pool without new shares (share price rises), then the
 * commission is deposited as new shares of the owner's self-delegation. A reward the common pool cannot
 * cover is skipped.
 */
import type { Address } from '../../crypto/address.ts';
import { ReservedAddresses } from '../../crypto/address.ts';
import type { ServiceContext } from '../mux/context.ts';
import { COMMISSION_RATE_DENOMINATOR, currentRate } from './api/commission.ts';
import { emitStaking } from './api/events.ts';
import { REWARD_AMOUNT_DENOMINATOR, type RewardStep, type StakingParameters } from './api/params.ts';
import { depositToPool } from './share_pool.ts';
import type { StakingState } from './state.ts';

/** The reward step in force at `epoch` (first with epoch < until), if any. */
export function activeRewardStep(schedule: readonly RewardStep[], epoch: bigint): RewardStep | undefined {
  return schedule.find((s) => epoch < s.until);
}

/** Splits `amount` into (commission, remainder) at the account's current rate (min rate when unset). */
export function splitCommission(
  rate: bigint | undefined,
  params: StakingParameters,
  amount: bigint,
): [bigint, bigint] {
  const r = rate ?? params.commissionScheduleRules.minCommissionRate;
  const commission = (amount * r) / COMMISSION_RATE_DENOMINATOR;
  return [commission, amount - commission];
}

/** Pays `reward` from the common pool into `address`'s escrow; false when the pool cannot cover it. */
function payReward(
  ctx: ServiceContext,
  st: StakingState,
  epoch: bigint,
  address: Address,
  reward: bigint,
): boolean {
  const pool = st.commonPool();
  if (reward === 0n) return true;
  if (reward > pool) return false;
  const params = st.parameters();
  const account = st.account(address);
  const [commission, rest] = splitCommission(
    currentRate(account.escrow.commissionSchedule, epoch),
    params,
    reward,
  );
  if (rest !== 0n) {
    account.escrow.active.balance += rest;
    emitStaking.addEscrow(ctx, ReservedAddresses.commonPool, address, rest, 0n);
  }
  if (commission !== 0n) {
    const delegation = st.delegation(address, address);
    const shares = depositToPool(account.escrow.active, commission);
    delegation.shares += shares;
    st.setDelegation(address, address, delegation);
    emitStaking.transfer(ctx, ReservedAddresses.commonPool, address, commission);
    emitStaking.addEscrow(ctx, address, address, commission, shares);
  }
  st.setAccount(address, account);
  st.setCommonPool(pool - reward);
  return true;
}

/** Rewards every address in `addresses` with `factor` at `epoch`. */
export function addRewards(
  ctx: ServiceContext,
  st: StakingState,
  epoch: bigint,
  factor: bigint,
  addresses: readonly Address[],
): void {
  const step = activeRewardStep(st.parameters().rewardSchedule, epoch);
  if (step === undefined) return;
  for (const address of addresses) {
    const balance = st.account(address).escrow.active.balance;
    payReward(ctx, st, epoch, address, (balance * factor * step.scale) / REWARD_AMOUNT_DENOMINATOR);
  }
}

/** Rewards one address with `factor` attenuated by `num / den` (block proposing). */
export function addRewardSingleAttenuated(
  ctx: ServiceContext,
  st: StakingState,
  epoch: bigint,
  factor: bigint,
  num: number,
  den: number,
  address: Address,
): void {
  const step = activeRewardStep(st.parameters().rewardSchedule, epoch);
  if (step === undefined || den === 0) return;
  const balance = st.account(address).escrow.active.balance;
  const reward = (balance * factor * step.scale * BigInt(num)) / REWARD_AMOUNT_DENOMINATOR / BigInt(den);
  payReward(ctx, st, epoch, address, reward);
}
