/** Beacon state accessors: current and future epoch, the latest beacon value, parameters. */
import { decodeCanonical, encodeCanonical } from '../../codec/cbor.ts';
import { bytes, struct, u64, uint } from '../../codec/schema.ts';
import type { StateReader, StateWriter } from '../../state/api.ts';
import { KeyPrefix, makeKey } from '../../state/keys.ts';
import {
  type BeaconParameters,
  beaconParametersDecoder,
  beaconParametersToCbor,
  type EpochTimeState,
} from './api/types.ts';

const CURRENT = makeKey(KeyPrefix.beaconCurrentEpoch);
const FUTURE = makeKey(KeyPrefix.beaconFutureEpoch);
const BEACON = makeKey(KeyPrefix.beaconBeacon);
const PARAMS = makeKey(KeyPrefix.beaconParameters);
const BASE = makeKey(KeyPrefix.beaconBaseEpoch);

const epochStateDecoder = struct({ epoch: u64, height: uint });

function readEpoch(state: StateReader, key: Uint8Array): EpochTimeState | undefined {
  const raw = state.get(key);
  return raw ? epochStateDecoder(decodeCanonical(raw), 'epoch_state') : undefined;
}

function writeEpoch(state: StateWriter, key: Uint8Array, e: EpochTimeState): void {
  state.set(key, encodeCanonical({ epoch: e.epoch, height: e.height }));
}

/** The epoch in effect and the height it began at; undefined before genesis. */
export function currentEpochState(state: StateReader): EpochTimeState | undefined {
  return readEpoch(state, CURRENT);
}

/** Sets the epoch in effect. */
export function setCurrentEpochState(state: StateWriter, e: EpochTimeState): void {
  writeEpoch(state, CURRENT, e);
}

/** The genesis epoch and height. */
export function baseEpochState(state: StateReader): EpochTimeState | undefined {
  return readEpoch(state, BASE);
}

/** Records the genesis epoch and height (once, at genesis). */
export function setBaseEpochState(state: StateWriter, e: EpochTimeState): void {
  writeEpoch(state, BASE, e);
}

/** The scheduled next epoch and the height it will begin at. */
export function futureEpochState(state: StateReader): EpochTimeState | undefined {
  return readEpoch(state, FUTURE);
}

/** Schedules the next epoch. */
export function setFutureEpochState(state: StateWriter, e: EpochTimeState): void {
  writeEpoch(state, FUTURE, e);
}

/** The beacon value of the current epoch (32 bytes). */
export function beaconValue(state: StateReader): Uint8Array | undefined {
  const raw = state.get(BEACON);
  return raw ? bytes(32)(decodeCanonical(raw), 'beacon') : undefined;
}

/** Stores the beacon value of the current epoch. */
export function setBeaconValue(state: StateWriter, value: Uint8Array): void {
  state.set(BEACON, encodeCanonical(value));
}

/** The beacon consensus parameters. */
export function beaconParameters(state: StateReader): BeaconParameters {
  const raw = state.get(PARAMS);
  if (!raw) throw new Error('beacon: parameters not initialized');
  return beaconParametersDecoder(decodeCanonical(raw), 'beacon.params');
}

/** Stores the beacon consensus parameters. */
export function setBeaconParameters(state: StateWriter, p: BeaconParameters): void {
  state.set(PARAMS, encodeCanonical(beaconParametersToCbor(p)));
}
