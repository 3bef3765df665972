/**
 * Wire shapes of the genesis sections for key manager, beacon and governance, as oasis-core's Go structs
 * lay them out (staking has its own file; registry, scheduler and roothash use their services' codecs).
 * These codecs keep the JSON file and the hashed CBOR in step. Parts of services we do not run yet
 * (governance proposals, key manager statuses) must be empty.
 */

import {
  arrayCodec,
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

/** The genesis `keymanager` section. */
export const keymanagerSectionShape = structCodec({
  params: field(optionalCodec(structCodec({ gas_costs: gas() })), true),
  statuses: field(emptyOnly('key manager statuses'), true),
});

/** The genesis `beacon` section. */
export const beaconSectionShape = structCodec({
  base: field(u64Codec),
  params: field(
    structCodec({
      backend: field(textCodec),
      debug_mock_backend: flag(),
      insecure_parameters: field(optionalCodec(structCodec({ interval: field(u64Codec) })), true),
      vrf_parameters: field(
        optionalCodec(
          structCodec({ alpha_hq_threshold: n(), interval: n(), proof_delay: n(), gas_costs: gas() }),
        ),
        true,
      ),
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
