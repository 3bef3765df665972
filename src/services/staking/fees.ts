/**
 * Fee disbursement (oasis-core `apps/staking/fees.go`). At EndBlock the proposer share of the block's
 * fees goes to the proposer's entity and the voters' + next proposer's share is kept as
 * `last_block_fees`. At the next BeginBlock that amount is cut in one slot per vote of the last commit:
 * signing voters' entities get the vote part, the new proposer's entity the next-proposer part for each
 * of those votes, and everything unpaid goes to the common pool.
 */
import { type Address, ReservedAddresses } from '../../crypto/address.ts';
import type { ServiceContext } from '../mux/context.ts';
import { emitStaking } from './api/events.ts';
import type { StakingState } from './state.ts';

function credit(ctx: ServiceContext, st: StakingState, to: Address, amount: bigint): void {
  const acct = st.account(to);
  acct.general.balance += amount;
  st.setAccount(to, acct);
  emitStaking.transfer(ctx, ReservedAddresses.feeAccumulator, to, amount);
}

function toCommonPool(ctx: ServiceContext, st: StakingState, amount: bigint): void {
  if (amount === 0n) return;
  st.setCommonPool(st.commonPool() + amount);
  emitStaking.transfer(ctx, ReservedAddresses.feeAccumulator, ReservedAddresses.commonPool, amount);
}

/** EndBlock: pays the proposer its share of `totalFees` and persists the rest as last block fees. */
export function disburseFeesP(
  ctx: ServiceContext,
  st: StakingState,
  proposerEntity: Address | undefined,
  totalFees: bigint,
): void {
  if (totalFees === 0n) {
    st.setLastBlockFees(0n);
    return;
  }
  const p = st.parameters();
  const weightVQ = p.feeSplitWeightVote + p.feeSplitWeightNextPropose;
  const weightPVQ = weightVQ + p.feeSplitWeightPropose;
  const persist = weightPVQ === 0n ? 0n : (totalFees * weightVQ) / weightPVQ;
  st.setLastBlockFees(persist);
  const proposerPart = totalFees - persist;
  if (proposerPart === 0n) return;
  if (proposerEntity !== undefined) credit(ctx, st, proposerEntity, proposerPart);
  else toCommonPool(ctx, st, proposerPart);
}

/** BeginBlock: splits last block fees between the signing voters and the current proposer. */
export function disburseFeesVQ(
  ctx: ServiceContext,
  st: StakingState,
  proposerEntity: Address | undefined,
  numEligibleValidators: number,
  votingEntities: Address[],
): void {
  let remaining = st.lastBlockFees();
  if (remaining === 0n) return;
  const p = st.parameters();
  const perValidator = numEligibleValidators === 0 ? 0n : remaining / BigInt(numEligibleValidators);
  const denom = p.feeSplitWeightVote + p.feeSplitWeightNextPropose;
  const shareNextProposer = denom === 0n ? 0n : (perValidator * p.feeSplitWeightNextPropose) / denom;
  const shareVote = perValidator - shareNextProposer;
  const nextProposerTotal = shareNextProposer * BigInt(votingEntities.length);

  if (nextProposerTotal !== 0n && proposerEntity !== undefined) {
    credit(ctx, st, proposerEntity, nextProposerTotal);
    remaining -= nextProposerTotal;
  }
  if (shareVote !== 0n) {
    for (const voter of votingEntities) {
      credit(ctx, st, voter, shareVote);
      remaining -= shareVote;
    }
  }
  st.setLastBlockFees(0n);
  toCommonPool(ctx, st, remaining);
}
