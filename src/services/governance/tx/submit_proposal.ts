/**
 * `governance.SubmitProposal`, in oasis-core's order (the order fixes which error a bad proposal gets):
 * basic checks (all CheckTx does), gas, the deposit must be affordable, the per-kind checks (upgrade
 * spacing, cancel target, the module's own validation of a parameter change), then the deposit moves to
 * the governance deposits and the proposal opens until `epoch + voting_period`.
 */
import type { ServiceContext } from '../../mux/context.ts';
import { gasCostsOf } from '../../mux/gas.ts';
import type { ParameterChangeHandler } from '../../mux/parameter_changes.ts';
import { isReserved } from '../../staking/api/address.ts';
import { StakingErrors } from '../../staking/api/errors.ts';
import { transferToGovernanceDeposits } from '../../staking/ledger.ts';
import { StakingState } from '../../staking/state.ts';
import type { UpgradeDescriptor } from '../../upgrade/api/descriptor.ts';
import { GovernanceErrors } from '../api/errors.ts';
import { emitGovernance } from '../api/events.ts';
import { GovernanceGasOps, type GovernanceParameters } from '../api/params.ts';
import {
  type Proposal,
  type ProposalContent,
  ProposalState,
  validateProposalContent,
} from '../api/proposal.ts';
import { GovernanceState, type GovernanceStateReader } from '../state.ts';

/** Finds the service that owns a module's parameters. */
export type ParameterChangeLookup = (module: string) => ParameterChangeHandler | undefined;

const absDiff = (a: bigint, b: bigint) => (a > b ? a - b : b - a);

/** Refuses an upgrade closer than `upgrade_min_epoch_diff` to a pending one (governance/3). */
export function checkUpgradeSpacing(
  gov: GovernanceStateReader,
  params: GovernanceParameters,
  upgrade: UpgradeDescriptor,
): void {
  for (const p of gov.pendingUpgradeProposals()) {
    const pending = p.content.upgrade!;
    if (absDiff(pending.epoch, upgrade.epoch) < params.upgrade_min_epoch_diff)
      throw GovernanceErrors.upgradeAlreadyPending(
        `governance: upgrade already pending at epoch ${pending.epoch} (proposal ${p.id})`,
      );
  }
}

/** True when proposal `id` is a passed upgrade still waiting for its epoch. */
export function isPendingUpgrade(gov: GovernanceStateReader, id: bigint): boolean {
  return gov.pendingUpgradeProposals().some((p) => p.id === id);
}

function checkKind(
  ctx: ServiceContext,
  gov: GovernanceStateReader,
  params: GovernanceParameters,
  content: ProposalContent,
  changes: ParameterChangeLookup,
): void {
  const epoch = ctx.currentEpoch();
  if (content.upgrade !== undefined) {
    if (content.upgrade.epoch < epoch + params.upgrade_min_epoch_diff)
      throw GovernanceErrors.upgradeTooSoon();
    checkUpgradeSpacing(gov, params, content.upgrade);
  } else if (content.cancel_upgrade !== undefined) {
    const target = gov.proposal(content.cancel_upgrade.proposal_id);
    if (target === undefined) throw GovernanceErrors.noSuchProposal();
    if (target.content.upgrade === undefined || !isPendingUpgrade(gov, target.id))
      throw GovernanceErrors.noSuchUpgrade();
    if (target.content.upgrade.epoch < epoch + params.upgrade_cancel_min_epoch_diff)
      throw GovernanceErrors.upgradeTooSoon();
  } else if (content.change_parameters !== undefined) {
    const cp = content.change_parameters;
    const handler = changes(cp.module);
    if (handler === undefined)
      throw GovernanceErrors.invalidArgument(`governance: no module ${cp.module} accepts parameter changes`);
    handler.changeParameters(ctx.state, cp.changes, false);
  }
}

/** Executes `governance.SubmitProposal`; returns the new proposal (undefined in CheckTx/simulation). */
export function submitProposal(
  ctx: ServiceContext,
  content: ProposalContent,
  changes: ParameterChangeLookup,
): Proposal | undefined {
  const gov = new GovernanceState(ctx.state);
  const params = gov.parameters();
  validateProposalContent(content, params);
  if (ctx.isCheckOnly) return undefined;
  if (content.change_parameters !== undefined && !params.enable_change_parameters_proposal)
    throw GovernanceErrors.invalidArgument('governance: change parameters proposals are disabled');
  ctx.gas.useOp(1n, GovernanceGasOps.submitProposal, gasCostsOf(params.gas_costs));
  if (ctx.isSimulation) return undefined;

  const submitter = ctx.callerAddress;
  if (isReserved(submitter)) throw StakingErrors.forbidden();
  const st = new StakingState(ctx.state);
  if (st.account(submitter).general.balance < params.min_proposal_deposit)
    throw StakingErrors.insufficientBalance();
  checkKind(ctx, gov, params, content, changes);

  transferToGovernanceDeposits(ctx, st, submitter, params.min_proposal_deposit);
  const id = gov.nextProposalId();
  gov.setNextProposalId(id + 1n);
  const epoch = ctx.currentEpoch();
  const proposal: Proposal = {
    id,
    submitter,
    state: ProposalState.active,
    deposit: params.min_proposal_deposit,
    content,
    created_at: epoch,
    closes_at: epoch + params.voting_period,
    results: undefined,
    invalid_votes: 0n,
  };
  gov.setProposal(proposal);
  gov.setActive(proposal);
  emitGovernance.proposalSubmitted(ctx, id, submitter);
  return proposal;
}
