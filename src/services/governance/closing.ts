/**
 * Closing proposals at the epoch boundary (EndBlock of the first block of an epoch): every proposal
 * closing at the new epoch is tallied, a passed one executed — a failed execution leaves nothing behind
 * and marks it failed — then finalized, and its deposit returned (passed, failed) or sent to the common
 * pool (rejected).
 */
import type { ServiceContext } from '../mux/context.ts';
import { discardGovernanceDeposit, transferFromGovernanceDeposits } from '../staking/ledger.ts';
import { StakingState } from '../staking/state.ts';
import { GovernanceErrors } from './api/errors.ts';
import { emitGovernance } from './api/events.ts';
import { type Proposal, ProposalState } from './api/proposal.ts';
import { GovernanceState } from './state.ts';
import { closeProposal, currentElectorate, tallyVotes } from './tally.ts';
import { checkUpgradeSpacing, isPendingUpgrade, type ParameterChangeLookup } from './tx/submit_proposal.ts';

function execute(ctx: ServiceContext, p: Proposal, changes: ParameterChangeLookup): void {
  const gov = new GovernanceState(ctx.state);
  const c = p.content;
  if (c.upgrade !== undefined) {
    checkUpgradeSpacing(gov, gov.parameters(), c.upgrade);
    gov.setPendingUpgrade(c.upgrade.epoch, p.id);
  } else if (c.cancel_upgrade !== undefined) {
    const target = gov.proposal(c.cancel_upgrade.proposal_id);
    if (target?.content.upgrade === undefined || !isPendingUpgrade(gov, target.id))
      throw GovernanceErrors.noSuchUpgrade();
    gov.removePendingUpgrade(target.content.upgrade.epoch, target.id);
  } else if (c.change_parameters !== undefined) {
    if (!gov.parameters().enable_change_parameters_proposal) throw GovernanceErrors.invalidArgument();
    const handler = changes(c.change_parameters.module);
    if (handler === undefined) throw GovernanceErrors.invalidArgument();
    handler.changeParameters(ctx.state, c.change_parameters.changes, true);
  } else {
    throw GovernanceErrors.invalidArgument();
  }
  emitGovernance.proposalExecuted(ctx, p.id);
}

/** Runs the proposal's content atomically; its state becomes passed, or failed if execution throws. */
function executeProposal(ctx: ServiceContext, p: Proposal, changes: ParameterChangeLookup): Proposal {
  try {
    ctx.nested((inner) => execute(inner, p, changes));
    return { ...p, state: ProposalState.passed };
  } catch {
    return { ...p, state: ProposalState.failed };
  }
}

/** Closes every proposal whose voting period ends at the current (new) epoch. */
export function closeProposalsAtEpoch(ctx: ServiceContext, changes: ParameterChangeLookup): void {
  const gov = new GovernanceState(ctx.state);
  const closing = gov.proposalsClosingAt(ctx.currentEpoch());
  if (closing.length === 0) return;
  const electorate = currentElectorate(ctx.state);
  // oasis-core halts here too: no stake can decide anything.
  if (electorate.totalStake === 0n) throw new Error('governance: total voting stake is zero');
  const st = new StakingState(ctx.state);
  for (const open of closing) {
    const tally = tallyVotes(ctx.state, electorate, gov.votes(open.id));
    // Read per proposal: an earlier one closing now may have changed the threshold.
    const threshold = gov.parameters().stake_threshold;
    let p = closeProposal(open, tally, electorate.totalStake, threshold);
    if (p.state === ProposalState.passed) p = executeProposal(ctx, p, changes);
    gov.setProposal(p);
    gov.removeActive(p);
    emitGovernance.proposalFinalized(ctx, p.id, p.state);
    if (p.state === ProposalState.rejected) discardGovernanceDeposit(ctx, st, p.deposit);
    else transferFromGovernanceDeposits(ctx, st, p.submitter, p.deposit);
  }
}
