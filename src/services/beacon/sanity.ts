/**
 * Beacon invariants checked after every block in debug runs: valid parameters; base, current and future
 * epochs present and consistent (the current epoch began `interval` blocks per epoch after the base, the
 * future one is the next epoch, one interval later); a beacon value; and under the VRF backend, a
 * VRF state (once created) for the current epoch.
 */
import type { StateReader } from '../../state/api.ts';
import { BACKEND_VRF, epochInterval, validateBeaconParameters } from './api/params.ts';
import {
  baseEpochState,
  beaconParameters,
  beaconValue,
  currentEpochState,
  futureEpochState,
  vrfState,
} from './state.ts';

function fail(message: string): never {
  throw new Error(`beacon: sanity check failed: ${message}`);
}

/** Throws naming the first broken invariant. */
export function checkBeaconInvariants(state: StateReader): void {
  const params = beaconParameters(state);
  try {
    validateBeaconParameters(params, 'beacon.params');
  } catch (err) {
    fail((err as Error).message);
  }
  const interval = BigInt(epochInterval(params));
  const base = baseEpochState(state) ?? fail('base epoch not set');
  const current = currentEpochState(state) ?? fail('current epoch not set');
  const future = futureEpochState(state) ?? fail('future epoch not set');
  if (current.epoch < base.epoch) fail(`current epoch ${current.epoch} before base epoch ${base.epoch}`);
  const expectedHeight = BigInt(base.height) + (current.epoch - base.epoch) * interval;
  if (BigInt(current.height) !== expectedHeight)
    fail(`epoch ${current.epoch} began at height ${current.height}, expected ${expectedHeight}`);
  if (future.epoch !== current.epoch + 1n) fail(`future epoch ${future.epoch} is not ${current.epoch + 1n}`);
  if (BigInt(future.height) !== BigInt(current.height) + interval)
    fail(`future epoch height ${future.height} is not ${BigInt(current.height) + interval}`);
  if (beaconValue(state) === undefined) fail('no beacon value');
  const vrf = vrfState(state);
  if (vrf !== undefined) {
    if (params.backend !== BACKEND_VRF) fail('VRF state under a non-VRF backend');
    if (vrf.epoch !== current.epoch) fail(`VRF state is for epoch ${vrf.epoch}, not ${current.epoch}`);
  }
}
