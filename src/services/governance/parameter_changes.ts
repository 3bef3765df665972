/**
 * Governance's own side of parameter changes (`go/governance/api.ConsensusParameterChanges`): neither
 * `allow_vote_without_entity` nor `allow_proposal_metadata` can be changed by a proposal.
 */
import { type ParameterChangeHandler, parameterChangeHandler, sameNames } from '../mux/parameter_changes.ts';
import { GOVERNANCE_MODULE } from './api/errors.ts';
import { governanceParametersCodec, validateGovernanceParameters } from './api/params.ts';
import { GovernanceState } from './state.ts';

/** Applies and validates governance parameter changes. */
export const governanceParameterChanges: ParameterChangeHandler = parameterChangeHandler({
  module: GOVERNANCE_MODULE,
  codec: governanceParametersCodec,
  fields: sameNames(
    'gas_costs',
    'min_proposal_deposit',
    'voting_period',
    'stake_threshold',
    'upgrade_min_epoch_diff',
    'upgrade_cancel_min_epoch_diff',
    'enable_change_parameters_proposal',
  ),
  read: (state) => new GovernanceState(state).parameters(),
  validate: validateGovernanceParameters,
  write: (state, p) => new GovernanceState(state).setParameters(p),
});
