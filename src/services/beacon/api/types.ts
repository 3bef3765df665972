/**
 * Beacon service types as oasis-core shapes them (`go/beacon/api`): epoch-time state, consensus
 * parameters and the genesis section. Field names are the CBOR keys.
 */

import { bool, type Decoder, optional, struct, text, u64 } from '../../../codec/schema.ts';
import { CodedError } from '../../../errors.ts';

/** Error module of the beacon service. */
export const BEACON_MODULE = 'beacon';
/** Coded beacon errors (oasis-core numbering). */
export const BeaconErrors = Object.freeze({
  beaconNotAvailable: (msg = 'beacon: random beacon not available') => new CodedError(BEACON_MODULE, 1, msg),
});

/** The only backend we run so far: per-epoch entropy derived from the block (oasis-core `insecure`). */
export const BACKEND_INSECURE = 'insecure';

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

/** Beacon consensus parameters. */
export interface BeaconParameters {
  backend: string;
  debug_mock_backend?: boolean;
  insecure_parameters?: InsecureParameters;
}

/** The genesis section `beacon`. */
export interface BeaconGenesis {
  /** The epoch in effect at the genesis height. */
  base: bigint;
  params: BeaconParameters;
}

const insecureDecoder: Decoder<InsecureParameters> = struct({ interval: u64 });

/** Strict decoder of beacon parameters. */
export const beaconParametersDecoder: Decoder<BeaconParameters> = (value, path) => {
  const d = struct({
    backend: text,
    debug_mock_backend: optional(bool),
    insecure_parameters: optional(insecureDecoder),
  })(value, path);
  if (d.backend !== BACKEND_INSECURE) {
    throw new CodedError(
      'codec',
      1,
      `${path}.backend: unsupported beacon backend ${JSON.stringify(d.backend)}`,
    );
  }
  if (!d.insecure_parameters || d.insecure_parameters.interval < 1n) {
    throw new CodedError('codec', 1, `${path}.insecure_parameters.interval: must be at least 1`);
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
  return out;
}

/** Epoch length in blocks of a parameter set. */
export function epochInterval(p: BeaconParameters): number {
  return Number(p.insecure_parameters!.interval);
}
