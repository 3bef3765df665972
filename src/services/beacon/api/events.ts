/** Beacon events (`go/beacon/api`): the epoch transition and the VRF backend's new alpha. */
import { bytesCodec, field, structCodec, u64Field, uintCodec, withDefault } from '../../../codec/typed.ts';
import type { VRFState } from './vrf.ts';

/** Event kinds the beacon emits. */
export const BeaconEventKinds = Object.freeze({ epoch: 'epoch', vrf: 'vrf' });

/** The `vrf` event: the new alpha and when proofs over it are accepted (`submit_after` always present). */
export const vrfEventCodec = structCodec({
  epoch: u64Field(),
  alpha: field(
    withDefault(bytesCodec(), () => new Uint8Array(0)),
    true,
  ),
  submit_after: field(uintCodec),
});

/** The CBOR-ready `vrf` event of a state. */
export function vrfEvent(s: VRFState): unknown {
  return vrfEventCodec.encode({ epoch: s.epoch, alpha: s.alpha, submit_after: s.submitAfter });
}
