/**
 * Governance invariants (oasis-core `SanityCheckProposals` and friends), checked on genesis and after
 * every block in debug runs: valid parameters; active proposals created in the past, not yet closed,
 * without results, and their deposits summing to staking's governance deposits; closed proposals not
 * closing in the future; pending upgrades at least `upgrade_min_epoch_diff` apart.
 */
import type { StateReader } from '../../state/api.ts';
import { currentEpochState } from '../beacon/state.ts';
import { StakingStateReader } from '../staking/state.ts';
import { validateGovernanceParameters } from './api/params.ts';
import { type Proposal, ProposalState } from './api/proposal.ts';
import { GovernanceStateReader } from './state.ts';

/** Throws naming the first broken rule over `proposals` at `epoch`. */
export function checkProposals(proposals: Proposal[], epoch: bigint, governanceDeposits: bigint): void {
  let active = 0n;
  for (const p of proposals) {
    const bad = (why: string) => new Error(`governance: proposal ${p.id}: ${why}`);
    if (p.created_at > epoch) throw bad('created in the future');
    if (p.state === ProposalState.active) {
      if (p.closes_at < epoch) throw bad('active proposal with past closing epoch');
      if (p.results !== undefined) throw bad('active proposal with results');
      if (p.invalid_votes !== 0n) throw bad('active proposal with invalid votes');
      if (p.content.upgrade !== undefined && p.content.upgrade.epoch < epoch)
        throw bad('active proposal with past upgrade epoch');
      active += p.deposit;
    } else if (p.closes_at > epoch) {
      throw bad('closed proposal with future closing epoch');
    }
  }
  if (active !== governanceDeposits)
    throw new Error(
      `governance: sum of active proposal deposits (${active}) differs from governance deposits (${governanceDeposits})`,
    );
}

/** Checks the governance state. */
export function checkGovernanceInvariants(state: StateReader): void {
  const gov = new GovernanceStateReader(state);
  const params = gov.parameters();
  validateGovernanceParameters(params);
  const epoch = currentEpochState(state)?.epoch ?? 0n;
  const proposals = gov.proposals();
  checkProposals(proposals, epoch, new StakingStateReader(state).governanceDeposits());
  const active = new Set(gov.activeProposals().map((p) => p.id));
  for (const p of proposals) {
    if ((p.state === ProposalState.active) !== active.has(p.id))
      throw new Error(`governance: proposal ${p.id}: active index out of step with its state`);
    if (p.id >= gov.nextProposalId()) throw new Error(`governance: proposal ${p.id} at or past the next id`);
  }
  const epochs = gov.pendingUpgradeProposals().map((p) => p.content.upgrade!.epoch);
  for (let i = 1; i < epochs.length; i++) {
    if (epochs[i]! - epochs[i - 1]! < params.upgrade_min_epoch_diff)
      throw new Error('governance: pending upgrades closer than upgrade_min_epoch_diff');
  }
}
