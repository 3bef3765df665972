/** `oasis-core.Beacon`: epoch time and the beacon over committed state. */
import { u64 } from '../../codec/schema.ts';
import * as B from '../../services/beacon/api/queries.ts';
import type { UnaryMethod } from '../method.ts';
import { decodeRequestWith, type StateByHeight, stateMethod } from '../queries.ts';

const SERVICE = 'oasis-core.Beacon';

/** The Beacon methods over committed state. */
export function beaconMethods(states: StateByHeight): UnaryMethod[] {
  const latest = () => 0;
  return [
    stateMethod(SERVICE, 'GetBaseEpoch', states, B.getBaseEpoch, latest),
    stateMethod(SERVICE, 'GetEpoch', states, B.getEpoch),
    stateMethod(SERVICE, 'GetFutureEpoch', states, B.getFutureEpoch),
    stateMethod(SERVICE, 'GetBeacon', states, B.getBeacon),
    stateMethod(SERVICE, 'ConsensusParameters', states, B.getConsensusParameters),
    stateMethod(SERVICE, 'StateToGenesis', states, B.beaconStateToGenesis),
    stateMethod(
      SERVICE,
      'GetEpochBlock',
      states,
      (s, r) => B.getEpochBlock(s, decodeRequestWith(u64, r)),
      latest,
    ),
  ];
}
