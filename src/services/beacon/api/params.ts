/**
 * Beacon consensus parameters as oasis-core shapes them (`go/beacon/api.ConsensusParameters`), one
 * two-way codec for state, queries and the genesis file. Decoding checks that the chosen backend's
 * parameters are present and sane.
 */
import {
  type Codec,
  field,
  flagField,
  optionalCodec,
  structCodec,
  textCodec,
  u64Codec,
  u64Field,
} from '../../../codec/typed.ts';
import { CodedError } from '../../../errors.ts';
import { gasCostsCodec } from '../../mux/gas.ts';

/** Backend with per-epoch entropy derived from the block (oasis-core `insecure`). */
export const BACKEND_INSECURE = 'insecure';
/** Backend whose epoch input (alpha) comes from nodes' VRF proofs (oasis-core `vrf`). */
export const BACKEND_VRF = 'vrf';
/** Gas op of `beacon.VRFProve`. */
export const GAS_OP_VRF_PROVE = 'vrf_prove';

/** Parameters of the insecure backend: the epoch length in blocks. */
export const insecureParametersCodec = structCodec({ interval: field(u64Codec) });

/**
 * Parameters of the VRF backend (`go/beacon/api.VRFParameters`; every field omitempty): proofs needed for
 * a high-quality alpha, the epoch length in blocks, blocks after a transition before proofs are accepted,
 * and gas costs (`vrf_prove`).
 */
export const vrfParametersCodec = structCodec({
  alpha_hq_threshold: u64Field(),
  interval: u64Field(),
  proof_delay: u64Field(),
  gas_costs: field(gasCostsCodec, true),
});

const fieldsCodec = structCodec({
  backend: field(textCodec),
  debug_mock_backend: flagField(),
  insecure_parameters: field(optionalCodec(insecureParametersCodec), true),
  vrf_parameters: field(optionalCodec(vrfParametersCodec), true),
});

/** Parameters of the insecure backend. */
export type InsecureParameters = typeof insecureParametersCodec extends Codec<infer T> ? T : never;
/** Parameters of the VRF backend. */
export type VRFParameters = typeof vrfParametersCodec extends Codec<infer T> ? T : never;
/** Beacon consensus parameters. */
export type BeaconParameters = typeof fieldsCodec extends Codec<infer T> ? T : never;

function invalid(path: string, message: string): never {
  throw new CodedError('codec', 1, `${path}: ${message}`);
}

/** Checks that the chosen backend's parameters are present and sane; throws naming the field. */
export function validateBeaconParameters(p: BeaconParameters, path: string): BeaconParameters {
  if (p.backend === BACKEND_INSECURE) {
    if (!p.insecure_parameters || p.insecure_parameters.interval < 1n)
      invalid(`${path}.insecure_parameters.interval`, 'must be at least 1');
  } else if (p.backend === BACKEND_VRF) {
    const v = p.vrf_parameters;
    if (!v || v.interval < 1n) invalid(`${path}.vrf_parameters.interval`, 'must be at least 1');
    if (v.proof_delay >= v.interval)
      invalid(`${path}.vrf_parameters.proof_delay`, 'must be below the interval');
  } else {
    invalid(`${path}.backend`, `unsupported beacon backend ${JSON.stringify(p.backend)}`);
  }
  return p;
}

/** Beacon parameters (validated when decoded from either form). */
export const beaconParametersCodec: Codec<BeaconParameters> = {
  ...fieldsCodec,
  decode: (v, p) => validateBeaconParameters(fieldsCodec.decode(v, p), p),
  fromJson: (v, p) => validateBeaconParameters(fieldsCodec.fromJson(v, p), p),
};

/** Epoch length in blocks of a parameter set (of whichever backend it selects). */
export function epochInterval(p: BeaconParameters): number {
  const interval = p.backend === BACKEND_VRF ? p.vrf_parameters!.interval : p.insecure_parameters!.interval;
  return Number(interval);
}
