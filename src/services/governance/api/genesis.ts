/**
 * The genesis `governance` section (`go/governance/api.Genesis`). Governance is not run yet: its
 * parameters are carried through and proposals and votes must be empty.
 */
import {
  emptyOnlyArray,
  emptyOnlyMap,
  field,
  flagField,
  quantityField,
  structCodec,
  u64Field,
} from '../../../codec/typed.ts';
import { gasCostsCodec } from '../../mux/gas.ts';

const n = u64Field;

/** The genesis `governance` section. */
export const governanceGenesisCodec = structCodec({
  params: field(
    structCodec({
      gas_costs: field(gasCostsCodec, true),
      min_proposal_deposit: quantityField(false),
      voting_period: n(false),
      stake_threshold: n(false),
      upgrade_min_epoch_diff: n(false),
      upgrade_cancel_min_epoch_diff: n(false),
      enable_change_parameters_proposal: flagField(),
      allow_vote_without_entity: flagField(),
      allow_proposal_metadata: flagField(),
    }),
  ),
  proposals: field(emptyOnlyArray('governance proposals'), true),
  vote_entries: field(emptyOnlyMap('governance votes'), true),
});
