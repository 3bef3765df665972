/**
 * Registry consensus parameters (`go/registry/api` `ConsensusParameters`) as a two-way codec, with the gas
 * operation names and oasis-core's default gas costs.
 */
import {
  boolCodec,
  type Codec,
  enumCodec,
  field,
  flagField,
  mapCodec,
  optionalCodec,
  structCodec,
  textCodec,
  u64Codec,
  u64Field,
  uintCodec,
  withDefault,
} from '../../../codec/typed.ts';
import type { GasCosts } from '../../mux/gas.ts';
import { GovernanceModel } from './runtime.ts';

/** Gas operation names (keys of `gas_costs`). */
export const RegistryGasOps = Object.freeze({
  registerEntity: 'register_entity',
  deregisterEntity: 'deregister_entity',
  registerNode: 'register_node',
  unfreezeNode: 'unfreeze_node',
  registerRuntime: 'register_runtime',
  runtimeEpochMaintenance: 'runtime_epoch_maintenance',
  proveFreshness: 'prove_freshness',
});

/** oasis-core's `DefaultGasCosts` (1000 per operation). */
export const DEFAULT_REGISTRY_GAS_COSTS: GasCosts = Object.freeze(
  Object.fromEntries(Object.values(RegistryGasOps).map((op) => [op, 1000n])),
);

const flag = flagField;

/** A boolean Go writes even when false (no omitempty). */
const plainBool = () => field(withDefault(boolCodec, () => false));

/**
 * TEE features (`node.TEEFeatures`). The SGX `default_policy` (a quote policy) is not modelled yet, so a
 * parameter set carrying one is refused rather than silently dropped.
 */
const teeFeaturesCodec = structCodec({
  sgx: field(
    structCodec({
      pcs: plainBool(),
      signed_attestations: flag(),
      max_attestation_age: u64Field(),
      tdx: flag(),
    }),
  ),
  freshness_proofs: plainBool(),
});

const gasCostsCodec: Codec<Map<string, bigint>> = mapCodec(textCodec, u64Codec);

/** The registry consensus parameters (wire field names). */
export const registryParametersCodec = structCodec({
  debug_allow_unroutable_addresses: flag(),
  debug_allow_test_runtimes: flag(),
  debug_deploy_immediately: flag(),
  disable_runtime_registration: flag(),
  disable_km_runtime_registration: flag(),
  enable_km_churp: flag(),
  gas_costs: field(gasCostsCodec, true),
  max_node_expiration: u64Field(),
  enable_runtime_governance_models: field(mapCodec(enumCodec(GovernanceModel), boolCodec), true),
  tee_features: field(optionalCodec(teeFeaturesCodec), true),
  max_runtime_deployments: field(
    withDefault(uintCodec, () => 0),
    true,
  ),
});

/** Registry consensus parameters. */
export type RegistryParameters = ReturnType<typeof registryParametersCodec.decode>;

/** Parameters with every flag off, default gas costs and only entity governance enabled. */
export function defaultRegistryParameters(): RegistryParameters {
  return {
    debug_allow_unroutable_addresses: false,
    debug_allow_test_runtimes: false,
    debug_deploy_immediately: false,
    disable_runtime_registration: false,
    disable_km_runtime_registration: false,
    enable_km_churp: false,
    gas_costs: new Map(Object.entries(DEFAULT_REGISTRY_GAS_COSTS)),
    max_node_expiration: 5n,
    enable_runtime_governance_models: new Map([[GovernanceModel.entity, true]]),
    tee_features: undefined,
    max_runtime_deployments: 0,
  };
}

/** The parameters' gas costs in the mux's shape. */
export function registryGasCosts(p: RegistryParameters): GasCosts {
  return Object.fromEntries(p.gas_costs);
}
