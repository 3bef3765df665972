/**
 * The registry's side of governance parameter changes (`go/registry/api.ConsensusParameterChanges`).
 * Registry parameters have no rules of their own beyond decoding strictly.
 */
import { type ParameterChangeHandler, parameterChangeHandler, sameNames } from '../mux/parameter_changes.ts';
import { REGISTRY_MODULE } from './api/entity.ts';
import { registryParametersCodec } from './api/params.ts';
import { RegistryState } from './state.ts';

/** Applies registry parameter changes. */
export const registryParameterChanges: ParameterChangeHandler = parameterChangeHandler({
  module: REGISTRY_MODULE,
  codec: registryParametersCodec,
  fields: sameNames(
    'disable_runtime_registration',
    'disable_km_runtime_registration',
    'gas_costs',
    'max_node_expiration',
    'enable_runtime_governance_models',
    'tee_features',
    'max_runtime_deployments',
  ),
  read: (state) => new RegistryState(state).parameters(),
  validate: () => {},
  write: (state, p) => new RegistryState(state).setParameters(p),
});
