/** Coded errors of the beacon service (`go/beacon/api`). */
import { CodedError } from '../../../errors.ts';

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
