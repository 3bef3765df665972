/**
 * Beacon service types as oasis-core shapes them (`go/beacon/api`): epoch-time state, consensus
 * parameters and the genesis section. Field names are the CBOR keys.
 */

import { bool, type Decoder, mapOf, optional, struct, text, u64 } from '../../../codec/schema.ts';
import { CodedError } from '../../../errors.ts';
import type { GasCosts } from '../../mux/gas.ts';

/** Error module of the beacon service. */
export const BEACON_MODULE = 'beacon';
/**
 * Coded beacon errors. 1 and 2 are oasis-core's; oasis-core reports the VRFProve rejections (3–7) as
 * uncoded errors, we give each its own code so clients and tests can tell them apart.
 */
export const BeaconErrors = Object.freeze({
  beaconNotAvailable: (msg = 'beacon: random beacon not available') => new CodedError(BEACON_MODULE, 1, msg),
  invalidArgument: (msg = 'beacon: invalid argument') => new CodedError(BEACON_MODULE, 2, msg),
  prematureProof: (msg = 'beacon: premature VRF proof') => new CodedError(BEACON_MODULE, 3, msg),
  notANode: (msg = 'beacon: tx not from a node') => new CodedError(BEACON_MODULE, 4, msg),
  invalidEpoch: (msg = 'beacon: proof for invalid epoch') => new CodedError(BEACON_MODULE, 5, msg),
  invalidProof: (msg = 'beacon: failed to verify beta') => new CodedError(BEACON_MODULE, 6, msg),
  differentProof: (msg = 'beacon: node attempted to submit a different proof') =>
    new CodedError(BEACON_MODULE, 7, msg),
});

/** Backend with per-epoch entropy derived from the block (oasis-core `insecure`). */
export const BACKEND_INSECURE = 'insecure';
/** Backend whose epoch input (alpha) comes from nodes' VRF proofs (oasis-core `vrf`). */
export const BACKEND_VRF = 'vrf';
/** Gas op of `beacon.VRFProve`. */
export const GAS_OP_VRF_PROVE = 'vrf_prove';

/** An epoch and the height at which it started (or starts). */
export interface EpochTimeState {
  epoch: bigint;
  height: number;
}

/** Parameters of the insecure backend. */
export interface InsecureParameters {
  /** Epoch length in blocks. */
  interval: bigint;
}

/** Parameters of the VRF backend (`go/beacon/api.VRFParameters`; every field omitempty). */
export interface VRFParameters {
  /** Proofs needed for the next alpha to be high quality (elections possible). */
  alpha_hq_threshold: bigint;
  /** Epoch length in blocks. */
  interval: bigint;
  /** Blocks after a transition before nodes may submit proofs for the new alpha. */
  proof_delay: bigint;
  /** Gas costs (`vrf_prove`). */
  gas_costs: GasCosts;
}

/** Beacon consensus parameters. */
export interface BeaconParameters {
  backend: string;
  debug_mock_backend?: boolean;
  insecure_parameters?: InsecureParameters;
  vrf_parameters?: VRFParameters;
}

/** The genesis section `beacon`. */
export interface BeaconGenesis {
  /** The epoch in effect at the genesis height. */
  base: bigint;
  params: BeaconParameters;
}

const insecureDecoder: Decoder<InsecureParameters> = struct({ interval: u64 });

const vrfFields = struct({
  alpha_hq_threshold: optional(u64),
  interval: optional(u64),
  proof_delay: optional(u64),
  gas_costs: optional(mapOf(text, u64)),
});
const vrfDecoder: Decoder<VRFParameters> = (value, path) => {
  const d = vrfFields(value, path);
  return {
    alpha_hq_threshold: d.alpha_hq_threshold ?? 0n,
    interval: d.interval ?? 0n,
    proof_delay: d.proof_delay ?? 0n,
    gas_costs: Object.fromEntries(d.gas_costs ?? []),
  };
};

function invalid(path: string, message: string): never {
  throw new CodedError('codec', 1, `${path}: ${message}`);
}

/** Strict decoder of beacon parameters: the chosen backend's parameters must be present and sane. */
export const beaconParametersDecoder: Decoder<BeaconParameters> = (value, path) => {
  const d = struct({
    backend: text,
    debug_mock_backend: optional(bool),
    insecure_parameters: optional(insecureDecoder),
    vrf_parameters: optional(vrfDecoder),
  })(value, path);
  if (d.backend === BACKEND_INSECURE) {
    if (!d.insecure_parameters || d.insecure_parameters.interval < 1n)
      invalid(`${path}.insecure_parameters.interval`, 'must be at least 1');
  } else if (d.backend === BACKEND_VRF) {
    const v = d.vrf_parameters;
    if (!v || v.interval < 1n) invalid(`${path}.vrf_parameters.interval`, 'must be at least 1');
    if (v.proof_delay >= v.interval)
      invalid(`${path}.vrf_parameters.proof_delay`, 'must be below the interval');
  } else {
    invalid(`${path}.backend`, `unsupported beacon backend ${JSON.stringify(d.backend)}`);
  }
  return d as BeaconParameters;
};

/** Strict decoder of the genesis section. */
export const beaconGenesisDecoder: Decoder<BeaconGenesis> = struct({
  base: u64,
  params: beaconParametersDecoder,
});

/** CBOR-ready parameters (omitempty as oasis-core). */
export function beaconParametersToCbor(p: BeaconParameters): Record<string, unknown> {
  const out: Record<string, unknown> = { backend: p.backend };
  if (p.debug_mock_backend) out.debug_mock_backend = true;
  if (p.insecure_parameters) out.insecure_parameters = { interval: p.insecure_parameters.interval };
  if (p.vrf_parameters) out.vrf_parameters = vrfParametersToCbor(p.vrf_parameters);
  return out;
}

function vrfParametersToCbor(v: VRFParameters): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (v.alpha_hq_threshold !== 0n) out.alpha_hq_threshold = v.alpha_hq_threshold;
  if (v.interval !== 0n) out.interval = v.interval;
  if (v.proof_delay !== 0n) out.proof_delay = v.proof_delay;
  const ops = Object.keys(v.gas_costs).sort();
  if (ops.length > 0) out.gas_costs = Object.fromEntries(ops.map((op) => [op, v.gas_costs[op]!]));
  return out;
}

/** Epoch length in blocks of a parameter set (of whichever backend it selects). */
export function epochInterval(p: BeaconParameters): number {
  const interval = p.backend === BACKEND_VRF ? p.vrf_parameters!.interval : p.insecure_parameters!.interval;
  return Number(interval);
}
