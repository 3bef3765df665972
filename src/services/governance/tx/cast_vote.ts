/**
 * `governance.CastVote`. Eligibility is judged at vote time against the current validator set (as
 * oasis-core does): the signer's entity runs a validator node, or the signer delegates to a validator's
 * entity. A later vote by the same voter replaces the earlier one.
 */
import { toHex } from '../../../codec/bytes.ts';
import { addressFromPublicKey } from '../../../crypto/address.ts';
import type { ServiceContext } from '../../mux/context.ts';
import { gasCostsOf } from '../../mux/gas.ts';
import { RegistryStateReader } from '../../registry/state.ts';
import { SchedulerStateReader } from '../../scheduler/state.ts';
import { hexOf, isReserved } from '../../staking/api/address.ts';
import { StakingErrors } from '../../staking/api/errors.ts';
import { StakingStateReader } from '../../staking/state.ts';
import { GovernanceErrors } from '../api/errors.ts';
import { emitGovernance } from '../api/events.ts';
import type { ProposalVote } from '../api/methods.ts';
import { GovernanceGasOps, type GovernanceParameters } from '../api/params.ts';
import { ProposalState } from '../api/proposal.ts';
import { GovernanceState } from '../state.ts';

function isEligible(ctx: ServiceContext, params: GovernanceParameters): boolean {
  const signer = ctx.txSigner!;
  const entity = new RegistryStateReader(ctx.state).entity(signer);
  if (entity === undefined && !params.allow_vote_without_entity) return false;
  const validators = new SchedulerStateReader(ctx.state).currentValidators().map(([, v]) => v);
  const validatorNodes = new Set(validators.map((v) => toHex(v.id)));
  if ((entity?.nodes ?? []).some((n) => validatorNodes.has(toHex(n)))) return true;
  const validatorEntities = new Set(validators.map((v) => hexOf(addressFromPublicKey(v.entity_id))));
  for (const [to] of new StakingStateReader(ctx.state).delegationsFor(ctx.callerAddress)) {
    if (validatorEntities.has(hexOf(to))) return true;
  }
  return false;
}

/** Executes `governance.CastVote`. */
export function castVote(ctx: ServiceContext, vote: ProposalVote): void {
  if (ctx.isCheckOnly) return;
  const gov = new GovernanceState(ctx.state);
  const params = gov.parameters();
  ctx.gas.useOp(1n, GovernanceGasOps.castVote, gasCostsOf(params.gas_costs));
  if (ctx.isSimulation) return;
  const voter = ctx.callerAddress;
  if (isReserved(voter)) throw StakingErrors.forbidden();
  if (!isEligible(ctx, params)) throw GovernanceErrors.notEligible();
  const proposal = gov.proposal(vote.id);
  if (proposal === undefined) throw GovernanceErrors.noSuchProposal();
  if (proposal.state !== ProposalState.active) throw GovernanceErrors.votingIsClosed();
  gov.setVote(proposal.id, voter, vote.vote);
  emitGovernance.vote(ctx, proposal.id, voter, vote.vote);
}
