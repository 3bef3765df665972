/**
 * Beacon queries with oasis-core's request/response shapes (`oasis-core.Beacon`), each over the state of
 * the requested height. The API layer resolves the height to a `StateReader`.
 */
import type { StateReader } from '../../../state/api.ts';
import {
  baseEpochState,
  beaconParameters,
  beaconValue,
  currentEpochState,
  futureEpochState,
  vrfState,
} from '../state.ts';
import { BeaconErrors } from './errors.ts';
import { beaconGenesisCodec } from './genesis.ts';
import { type BeaconParameters, beaconParametersCodec, epochInterval } from './params.ts';
import { vrfStateCodec } from './vrf.ts';

function require<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`beacon: ${what} not initialized`);
  return value;
}

/** `GetBaseEpoch`: the genesis epoch. */
export function getBaseEpoch(state: StateReader): bigint {
  return require(baseEpochState(state), 'base epoch').epoch;
}

/** `GetEpoch`: the epoch in effect. */
export function getEpoch(state: StateReader): bigint {
  return require(currentEpochState(state), 'epoch').epoch;
}

/** `GetFutureEpoch`: the scheduled next epoch as `{epoch, height}`. */
export function getFutureEpoch(state: StateReader): { epoch: bigint; height: number } {
  return require(futureEpochState(state), 'future epoch');
}

/** `GetEpochBlock`: the height at which `epoch` began; errors for an epoch that has not started. */
export function getEpochBlock(state: StateReader, epoch: bigint): number {
  const base = require(baseEpochState(state), 'base epoch');
  const current = require(currentEpochState(state), 'epoch');
  if (epoch < base.epoch || epoch > current.epoch) throw new Error(`beacon: epoch ${epoch} is not known yet`);
  return base.height + Number(epoch - base.epoch) * epochInterval(beaconParameters(state));
}

/** `GetBeacon`: the beacon value of the current epoch. */
export function getBeacon(state: StateReader): Uint8Array {
  const value = beaconValue(state);
  if (!value) throw BeaconErrors.beaconNotAvailable();
  return value;
}

/** The beacon parameters in effect, typed. */
export function getParameters(state: StateReader): BeaconParameters {
  return beaconParameters(state);
}

/** `ConsensusParameters`. */
export function getConsensusParameters(state: StateReader): unknown {
  return beaconParametersCodec.encode(beaconParameters(state));
}

/** `GetVRFState`: the VRF backend state (oasis-core `VRFState` shape); beacon/1 when there is none. */
export function getVrfState(state: StateReader): unknown {
  const s = vrfState(state);
  if (!s) throw BeaconErrors.beaconNotAvailable('beacon: no VRF state');
  return vrfStateCodec.encode(s);
}

/** `StateToGenesis`: the section recreating the beacon at this state (its epoch as the base). */
export function beaconStateToGenesis(state: StateReader): unknown {
  return beaconGenesisCodec.encode({ base: getEpoch(state), params: beaconParameters(state) });
}
