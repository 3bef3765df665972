/**
 * The beacon service: keeps epoch time and the per-epoch random beacon. Epochs last `interval` blocks
 * from the genesis height; the transition happens in the BeginBlock of the first block of the new epoch,
 * so every service sees the new epoch in that block. It is also the mux's `EpochSource`.
 *
 * Backends (oasis-core's, adapted):
 * - `insecure`: the beacon of an epoch comes from the transition block's entropy (height, time,
 *   proposer), which a proposer can bias by choosing the block time.
 * - `vrf`: nodes submit VRF proofs over the epoch's alpha (`beacon.VRFProve`); the next alpha is a hash
 *   of their outputs (see vrf.ts), and the beacon value is derived from that alpha, so with enough
 *   proofs no single proposer chooses it.
 */
import type { CborValue } from '../../codec/cbor.ts';
import type { StateReader } from '../../state/api.ts';
import type { ServiceContext } from '../mux/context.ts';
import type { EpochSource, EpochTime } from '../mux/epoch.ts';
import type { ConsensusService, GenesisSections } from '../mux/service.ts';
import { BEACON_MODULE, BeaconErrors } from './api/errors.ts';
import { BeaconEventKinds } from './api/events.ts';
import type { BeaconGenesis } from './api/genesis.ts';
import { METHOD_VRF_PROVE } from './api/methods.ts';
import { BACKEND_VRF, type BeaconParameters, epochInterval } from './api/params.ts';
import { beaconFromEntropy, insecureBeacon } from './entropy.ts';
import { loadBeaconGenesis } from './genesis.ts';
import { checkBeaconInvariants } from './sanity.ts';
import {
  baseEpochState,
  beaconParameters,
  currentEpochState,
  futureEpochState,
  setBeaconValue,
  setCurrentEpochState,
  setFutureEpochState,
} from './state.ts';
import { executeVrfProve } from './tx/vrf_prove.ts';
import { ensureVrfState, transitionVrf } from './vrf.ts';

export { insecureBeacon } from './entropy.ts';

function vrfParameters(p: BeaconParameters) {
  return p.backend === BACKEND_VRF ? p.vrf_parameters : undefined;
}

/** The `000_beacon` consensus service. */
export class BeaconService implements ConsensusService, EpochSource {
  readonly name = '000_beacon';
  readonly module = BEACON_MODULE;
  readonly priority = 100_000n;
  readonly methods: readonly string[] = [METHOD_VRF_PROVE];

  initChain(ctx: ServiceContext, genesis: GenesisSections): void {
    const g = genesis.beacon as BeaconGenesis | undefined;
    if (!g) throw new Error('genesis: missing beacon section');
    loadBeaconGenesis(ctx, g);
  }

  beginBlock(ctx: ServiceContext): void {
    const params = beaconParameters(ctx.state);
    const vrf = vrfParameters(params);
    const future = futureEpochState(ctx.state);
    if (vrf) ensureVrfState(ctx, currentEpochState(ctx.state)!.epoch, vrf);
    if (!future || future.height !== ctx.height) return;
    setCurrentEpochState(ctx.state, future);
    setFutureEpochState(ctx.state, {
      epoch: future.epoch + 1n,
      height: future.height + epochInterval(params),
    });
    ctx.emit(BEACON_MODULE, BeaconEventKinds.epoch, future.epoch);
    const beacon = vrf
      ? beaconFromEntropy(future.epoch, transitionVrf(ctx, future.epoch, vrf))
      : insecureBeacon(future.epoch, ctx.height, ctx.block.time, ctx.block.proposer);
    setBeaconValue(ctx.state, beacon);
  }

  executeTx(ctx: ServiceContext, method: string, body: CborValue | undefined): void {
    const vrf = vrfParameters(beaconParameters(ctx.state));
    if (method !== METHOD_VRF_PROVE || !vrf) {
      throw BeaconErrors.invalidArgument(`beacon: method '${method}' is not available with this backend`);
    }
    executeVrfProve(ctx, body, vrf);
  }

  currentEpoch(state: StateReader, _height: number): EpochTime {
    const current = currentEpochState(state);
    if (!current) throw new Error('beacon: epoch state not initialized');
    return current.epoch;
  }

  sanityCheck(state: StateReader): void {
    checkBeaconInvariants(state);
  }

  epochChanged(state: StateReader, height: number): boolean {
    const current = currentEpochState(state);
    const base = baseEpochState(state);
    return current !== undefined && current.height === height && current.epoch !== base?.epoch;
  }
}
