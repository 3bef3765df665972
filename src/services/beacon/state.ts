/** Beacon state accessors: current and future epoch, the latest beacon value, parameters. */

import { utf8 } from '../../codec/bytes.ts';
import { decodeOwnCanonical, encodeCanonical } from '../../codec/cbor.ts';
import { bytes, text } from '../../codec/schema.ts';
import type { StateReader, StateWriter } from '../../state/api.ts';
import { KeyPrefix, makeKey } from '../../state/keys.ts';
import { type EpochTimeState, epochTimeStateCodec } from './api/epoch.ts';
import { type BeaconParameters, beaconParametersCodec } from './api/params.ts';
import { type VRFState, vrfStateCodec } from './api/vrf.ts';

const CURRENT = makeKey(KeyPrefix.beaconCurrentEpoch);
const FUTURE = makeKey(KeyPrefix.beaconFutureEpoch);
const BEACON = makeKey(KeyPrefix.beaconBeacon);
const PARAMS = makeKey(KeyPrefix.beaconParameters);
const BASE = makeKey(KeyPrefix.beaconBaseEpoch);
const VRF_STATE = makeKey(KeyPrefix.beaconVRFState);
const CHAIN_CONTEXT = makeKey(KeyPrefix.chainContext);

function readEpoch(state: StateReader, key: Uint8Array): EpochTimeState | undefined {
  const raw = state.get(key);
  return raw ? epochTimeStateCodec.decode(decodeOwnCanonical(raw), 'epoch_state') : undefined;
}

function writeEpoch(state: StateWriter, key: Uint8Array, e: EpochTimeState): void {
  state.set(key, encodeCanonical(epochTimeStateCodec.encode(e)));
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

/**
 * The epoch block `height` belongs to, readable before that block's BeginBlock (the transition is
 * already scheduled as the future epoch): what a node checks before executing — or entering — a block.
 */
export function epochOfBlock(state: StateReader, height: number): bigint {
  const future = futureEpochState(state);
  if (future !== undefined && future.height <= height) return future.epoch;
  const current = currentEpochState(state);
  if (current === undefined) throw new Error('beacon: epoch state not initialized');
  return current.epoch;
}

/** The beacon value of the current epoch (32 bytes). */
export function beaconValue(state: StateReader): Uint8Array | undefined {
  const raw = state.get(BEACON);
  return raw ? bytes(32)(decodeOwnCanonical(raw), 'beacon') : undefined;
}

/** Stores the beacon value of the current epoch. */
export function setBeaconValue(state: StateWriter, value: Uint8Array): void {
  state.set(BEACON, encodeCanonical(value));
}

/** The beacon consensus parameters. */
export function beaconParameters(state: StateReader): BeaconParameters {
  const raw = state.get(PARAMS);
  if (!raw) throw new Error('beacon: parameters not initialized');
  return beaconParametersCodec.decode(decodeOwnCanonical(raw), 'beacon.params');
}

/** Stores the beacon consensus parameters. */
export function setBeaconParameters(state: StateWriter, p: BeaconParameters): void {
  state.set(PARAMS, encodeCanonical(beaconParametersCodec.encode(p)));
}

/** The VRF backend state; undefined before its first block (or under the insecure backend). */
export function vrfState(state: StateReader): VRFState | undefined {
  const raw = state.get(VRF_STATE);
  return raw ? vrfStateCodec.decode(decodeOwnCanonical(raw), 'vrf_state') : undefined;
}

/** Stores the VRF backend state. */
export function setVrfState(state: StateWriter, s: VRFState): void {
  state.set(VRF_STATE, encodeCanonical(vrfStateCodec.encode(s)));
}

/** The chain context (hex string, stored at genesis by the consensus service) as the bytes VRF hashes take. */
export function chainContextBytes(state: StateReader): Uint8Array {
  const raw = state.get(CHAIN_CONTEXT);
  if (!raw) throw new Error('beacon: chain context not initialized');
  const context = text(decodeOwnCanonical(raw), 'chain_context');
  if (context.length === 0) throw new Error('beacon: empty chain context');
  return utf8(context);
}
