/**
 * Wire shapes of the genesis sections other than staking: registry, roothash, key manager, scheduler,
 * beacon and governance, as oasis-core's Go structs lay them out. Services own the meaning of their
 * section; these codecs keep the JSON file and the hashed CBOR in step. Sections for services we do not
 * run yet (governance proposals, key manager statuses, runtime states) must be empty.
 */

import {
  arrayCodec,
  boolCodec,
  bytesCodec,
  type Codec,
  field,
  flagField,
  mapCodec,
  optionalCodec,
  quantityField,
  structCodec,
  textCodec,
  u64Codec,
  u64Field,
  uintCodec,
  withDefault,
} from '../codec/typed.ts';
import { CodecError } from '../errors.ts';

const n = u64Field;
const flag = flagField;
/** Gas costs by operation name. */
export const gasCostsShape = mapCodec(textCodec, u64Codec);
const gas = () => field(gasCostsShape, true);

/** An array that must be empty: for genesis parts of services we do not run yet. */
function emptyOnly(what: string): Codec<never[]> {
  const inner = arrayCodec(u64Codec);
  const check = (v: unknown[], p: string): never[] => {
    if (v.length > 0) throw new CodecError(p, `${what} in genesis are not supported yet`);
    return [];
  };
  return {
    ...inner,
    decode: (v, p) => check(inner.decode(v, p), p),
    fromJson: (v, p) => check(inner.fromJson(v, p), p),
  } as Codec<never[]>;
}

/** A map that must be empty (see `emptyOnly`). */
function emptyOnlyMap(what: string): Codec<Map<never, never>> {
  const inner = mapCodec(textCodec, u64Codec);
  const check = (v: Map<string, bigint>, p: string): Map<never, never> => {
    if (v.size > 0) throw new CodecError(p, `${what} in genesis are not supported yet`);
    return new Map<never, never>();
  };
  return {
    ...inner,
    decode: (v, p) => check(inner.decode(v, p), p),
    fromJson: (v, p) => check(inner.fromJson(v, p), p),
  } as Codec<Map<never, never>>;
}

/** A signature as JSON/CBOR carry it. */
export const signatureShape = structCodec({
  public_key: field(bytesCodec(32)),
  signature: field(bytesCodec(64)),
});
/** A `Signed` envelope (e.g. an entity descriptor). */
export const signedShape = structCodec({
  untrusted_raw_value: field(bytesCodec()),
  signature: field(signatureShape),
});
/** A `MultiSigned` envelope (e.g. a node descriptor). */
export const multiSignedShape = structCodec({
  untrusted_raw_value: field(bytesCodec()),
  signatures: field(arrayCodec(signatureShape, 64)),
});

/** Registry consensus parameters. */
export const registryParamsShape = structCodec({
  debug_allow_unroutable_addresses: flag(),
  debug_allow_test_runtimes: flag(),
  debug_deploy_immediately: flag(),
  disable_runtime_registration: flag(),
  disable_km_runtime_registration: flag(),
  gas_costs: gas(),
  max_node_expiration: n(),
  enable_runtime_governance_models: field(mapCodec(textCodec, boolCodec), true),
  max_runtime_deployments: n(),
});

/** The genesis `registry` section. */
export const registrySectionShape = structCodec({
  params: field(registryParamsShape),
  entities: field(arrayCodec(signedShape), true),
  runtimes: field(emptyOnly('runtimes'), true),
  suspended_runtimes: field(emptyOnly('suspended runtimes'), true),
  nodes: field(arrayCodec(multiSignedShape), true),
  node_statuses: field(emptyOnlyMap('node statuses'), true),
});

/** The genesis `roothash` section. */
export const roothashSectionShape = structCodec({
  params: field(
    structCodec({
      gas_costs: gas(),
      debug_do_not_suspend_runtimes: flag(),
      debug_bypass_stake: flag(),
      max_runtime_messages: n(false),
      max_in_runtime_messages: n(false),
      max_evidence_age: n(false),
      max_past_roots_stored: n(),
    }),
  ),
  runtime_states: field(emptyOnlyMap('runtime states'), true),
});

/** The genesis `keymanager` section. */
export const keymanagerSectionShape = structCodec({
  params: field(optionalCodec(structCodec({ gas_costs: gas() })), true),
  statuses: field(emptyOnly('key manager statuses'), true),
});

/** Scheduler consensus parameters. */
export const schedulerParamsShape = structCodec({
  min_validators: n(false),
  max_validators: n(false),
  max_validators_per_entity: n(false),
  debug_bypass_stake: flag(),
  debug_allow_weak_alpha: flag(),
  reward_factor_epoch_election_any: quantityField(false),
  voting_power_distribution: field(
    withDefault(uintCodec, () => 0),
    true,
  ),
});

/** The genesis `scheduler` section. */
export const schedulerSectionShape = structCodec({ params: field(schedulerParamsShape) });

/** The genesis `beacon` section. */
export const beaconSectionShape = structCodec({
  base: field(u64Codec),
  params: field(
    structCodec({
      backend: field(textCodec),
      debug_mock_backend: flag(),
      insecure_parameters: field(optionalCodec(structCodec({ interval: field(u64Codec) })), true),
    }),
  ),
});

/** The genesis `governance` section. */
export const governanceSectionShape = structCodec({
  params: field(
    structCodec({
      gas_costs: gas(),
      min_proposal_deposit: quantityField(false),
      voting_period: n(false),
      stake_threshold: n(false),
      upgrade_min_epoch_diff: n(false),
      upgrade_cancel_min_epoch_diff: n(false),
      enable_change_parameters_proposal: flag(),
      allow_vote_without_entity: flag(),
      allow_proposal_metadata: flag(),
    }),
  ),
  proposals: field(emptyOnly('governance proposals'), true),
  vote_entries: field(emptyOnlyMap('governance votes'), true),
});
