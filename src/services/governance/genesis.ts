/**
 * Loads the governance genesis section (`api/genesis.ts`) after staking: checks parameters and proposals
 * (deposits must match staking's governance deposits), stores proposals, the active index, votes and the
 * next id (largest id + 1), and rebuilds the pending upgrades from the passed upgrade proposals not yet
 * reached and not cancelled (genesis carries no pending upgrades of its own).
 */
import type { ServiceContext } from '../mux/context.ts';
import { StakingStateReader } from '../staking/state.ts';
import type { GovernanceGenesis } from './api/genesis.ts';
import { validateGovernanceParameters } from './api/params.ts';
import { type Proposal, ProposalState, validateProposalContent } from './api/proposal.ts';
import { checkProposals } from './sanity.ts';
import { GovernanceState } from './state.ts';

/** oasis-core `PendingUpgradesFromProposals`: passed upgrades at or after `epoch`, minus passed cancels. */
export function pendingUpgradesFromProposals(proposals: Proposal[], epoch: bigint): Proposal[] {
  const passed = proposals.filter((p) => p.state === ProposalState.passed);
  const cancelled = new Set(
    passed.flatMap((p) => (p.content.cancel_upgrade ? [p.content.cancel_upgrade.proposal_id] : [])),
  );
  return passed.filter(
    (p) => p.content.upgrade !== undefined && p.content.upgrade.epoch >= epoch && !cancelled.has(p.id),
  );
}

/** Validates and loads the section into `ctx` (an init context). */
export function loadGovernanceGenesis(ctx: ServiceContext, g: GovernanceGenesis): void {
  validateGovernanceParameters(g.params);
  const epoch = ctx.currentEpoch();
  checkProposals(g.proposals, epoch, new StakingStateReader(ctx.state).governanceDeposits());
  const gov = new GovernanceState(ctx.state);
  gov.setParameters(g.params);
  let next = 1n;
  for (const p of g.proposals) {
    // Proposals were valid under the rules of their time; the metadata rule may have changed since.
    validateProposalContent(p.content, {
      ...g.params,
      allow_proposal_metadata: p.content.metadata !== undefined,
    });
    if (gov.proposal(p.id) !== undefined) throw new Error(`governance: duplicate proposal ${p.id}`);
    gov.setProposal(p);
    if (p.state === ProposalState.active) gov.setActive(p);
    if (p.id >= next) next = p.id + 1n;
  }
  gov.setNextProposalId(next);
  for (const [id, votes] of g.vote_entries) {
    if (gov.proposal(id) === undefined) throw new Error(`governance: votes for unknown proposal ${id}`);
    for (const v of votes) gov.setVote(id, v.voter, v.vote);
  }
  for (const p of pendingUpgradesFromProposals(g.proposals, epoch))
    gov.setPendingUpgrade(p.content.upgrade!.epoch, p.id);
}
