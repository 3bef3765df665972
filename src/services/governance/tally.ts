/**
 * Counting a closing proposal's votes as oasis-core does (`closeProposal`, `Proposal.CloseProposal`). The
 * electorate is the current validator set's distinct entities, each weighing its active escrow pool. A
 * validator entity's vote carries all its pool's shares; a delegator's vote moves its own shares in each
 * validator pool it delegates to onto its option (overriding the validator's); shares become stake per
 * pool (floor). A voter delegating to no validator counts as an invalid vote. The proposal passes when
 * floor(yes × 100 / total) ≥ `stake_threshold`, non-voters counting against it.
 */
import { addressFromPublicKey } from '../../crypto/address.ts';
import type { StateReader } from '../../state/api.ts';
import { SchedulerStateReader } from '../scheduler/state.ts';
import type { SharePool } from '../staking/api/account.ts';
import { addressOfHex, hexOf } from '../staking/api/address.ts';
import { stakeForShares } from '../staking/share_pool.ts';
import { StakingStateReader } from '../staking/state.ts';
import { type Proposal, ProposalState, Vote, type VoteEntry } from './api/proposal.ts';

/** The validator entities' escrow pools (by address hex) and their total balance. */
export interface Electorate {
  pools: Map<string, SharePool>;
  totalStake: bigint;
}

/** The electorate of the current validator set. */
export function currentElectorate(state: StateReader): Electorate {
  const staking = new StakingStateReader(state);
  const pools = new Map<string, SharePool>();
  let totalStake = 0n;
  for (const [, v] of new SchedulerStateReader(state).currentValidators()) {
    const entity = hexOf(addressFromPublicKey(v.entity_id));
    if (pools.has(entity)) continue;
    const pool = staking.account(addressOfHex(entity)).escrow.active;
    pools.set(entity, pool);
    totalStake += pool.balance;
  }
  return { pools, totalStake };
}

function add(m: Map<number, bigint>, vote: number, shares: bigint): void {
  m.set(vote, (m.get(vote) ?? 0n) + shares);
}

/** The tally of `votes`: results in stake per option and the count of invalid votes. */
export function tallyVotes(
  state: StateReader,
  electorate: Electorate,
  votes: VoteEntry[],
): { results: Map<number, bigint>; invalidVotes: bigint } {
  const staking = new StakingStateReader(state);
  const shares = new Map<string, Map<number, bigint>>();
  for (const entity of electorate.pools.keys()) shares.set(entity, new Map());
  const validatorVote = new Map<string, number>();
  for (const v of votes) {
    const entity = hexOf(v.voter);
    const pool = electorate.pools.get(entity);
    if (pool === undefined) continue;
    validatorVote.set(entity, v.vote);
    add(shares.get(entity)!, v.vote, pool.totalShares);
  }
  let invalidVotes = 0n;
  for (const v of votes) {
    const voter = hexOf(v.voter);
    let toValidator = false;
    for (const [to, d] of staking.delegationsFor(v.voter)) {
      const entity = hexOf(to);
      const byOption = shares.get(entity);
      if (byOption === undefined) continue;
      toValidator = true;
      // A validator's own vote already carries its self-delegation.
      if (entity === voter) continue;
      const theirs = validatorVote.get(entity);
      if (theirs !== undefined) add(byOption, theirs, -d.shares);
      add(byOption, v.vote, d.shares);
    }
    if (!toValidator) invalidVotes++;
  }
  const results = new Map<number, bigint>();
  for (const [entity, byOption] of [...shares].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const pool = electorate.pools.get(entity)!;
    for (const [vote, s] of byOption) add(results, vote, stakeForShares(pool, s));
  }
  return { results: new Map([...results].sort((a, b) => a[0] - b[0])), invalidVotes };
}

/** The closed proposal: results recorded, state passed or rejected by the stake threshold. */
export function closeProposal(
  proposal: Proposal,
  tally: { results: Map<number, bigint>; invalidVotes: bigint },
  totalStake: bigint,
  stakeThreshold: bigint,
): Proposal {
  const yes = tally.results.get(Vote.yes) ?? 0n;
  const passed = yes > 0n && (yes * 100n) / totalStake >= stakeThreshold;
  return {
    ...proposal,
    // Go omits an empty results map.
    results: tally.results.size > 0 ? tally.results : undefined,
    invalid_votes: tally.invalidVotes,
    state: passed ? ProposalState.passed : ProposalState.rejected,
  };
}
