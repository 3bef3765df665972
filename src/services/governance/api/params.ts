/**
 * Governance consensus parameters (`go/governance/api.ConsensusParameters`, every key omitempty) with
 * their gas operations and oasis-core's sanity rules.
 */
import { field, flagField, quantityField, structCodec, u64Field } from '../../../codec/typed.ts';
import { gasCostsCodec } from '../../mux/gas.ts';
import { plainError } from '../../mux/result.ts';

/** Gas operation names (keys of `gas_costs`). */
export const GovernanceGasOps = Object.freeze({
  submitProposal: 'submit_proposal',
  castVote: 'cast_vote',
});

/** Governance consensus parameters (wire field names). */
export const governanceParametersCodec = structCodec({
  gas_costs: field(gasCostsCodec, true),
  min_proposal_deposit: quantityField(true),
  voting_period: u64Field(true),
  stake_threshold: u64Field(true),
  upgrade_min_epoch_diff: u64Field(true),
  upgrade_cancel_min_epoch_diff: u64Field(true),
  enable_change_parameters_proposal: flagField(),
  allow_vote_without_entity: flagField(),
  allow_proposal_metadata: flagField(),
});

/** Governance consensus parameters. */
export type GovernanceParameters = ReturnType<typeof governanceParametersCodec.decode>;

/** oasis-core's `genesis init` defaults. */
export function defaultGovernanceParameters(): GovernanceParameters {
  return {
    gas_costs: new Map([
      [GovernanceGasOps.castVote, 1000n],
      [GovernanceGasOps.submitProposal, 1000n],
    ]),
    min_proposal_deposit: 100n,
    voting_period: 100n,
    stake_threshold: 90n,
    upgrade_min_epoch_diff: 300n,
    upgrade_cancel_min_epoch_diff: 300n,
    enable_change_parameters_proposal: true,
    allow_vote_without_entity: false,
    allow_proposal_metadata: false,
  };
}

/** oasis-core's `ConsensusParameters.SanityCheck`; throws a plain error naming the rule. */
export function validateGovernanceParameters(p: GovernanceParameters): void {
  if (p.voting_period >= p.upgrade_min_epoch_diff)
    throw plainError('governance: voting_period should be less than upgrade_min_epoch_diff');
  if (p.voting_period >= p.upgrade_cancel_min_epoch_diff)
    throw plainError('governance: voting_period should be less than upgrade_cancel_min_epoch_diff');
  if (p.stake_threshold <= 66n || p.stake_threshold > 100n)
    throw plainError('governance: stake_threshold should be greater than 66 and at most 100');
}
