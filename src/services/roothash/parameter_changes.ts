/** The roothash's side of governance parameter changes (`go/roothash/api.ConsensusParameterChanges`). */
import { type ParameterChangeHandler, parameterChangeHandler, sameNames } from '../mux/parameter_changes.ts';
import { ROOTHASH_MODULE } from './api/errors.ts';
import { roothashParametersCodec } from './api/params.ts';
import { validateRoothashParameters } from './genesis.ts';
import { RoothashState } from './state.ts';

/** Applies and validates roothash parameter changes. */
export const roothashParameterChanges: ParameterChangeHandler = parameterChangeHandler({
  module: ROOTHASH_MODULE,
  codec: roothashParametersCodec,
  fields: sameNames(
    'gas_costs',
    'max_runtime_messages',
    'max_in_runtime_messages',
    'max_evidence_age',
    'max_past_roots_stored',
  ),
  read: (state) => new RoothashState(state).parameters(),
  validate: validateRoothashParameters,
  write: (state, p) => new RoothashState(state).setParameters(p),
});
