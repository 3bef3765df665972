/**
 * Loads the beacon genesis section (`api/genesis.ts`): the parameters, the base epoch starting at the
 * genesis height (also the current epoch), the next epoch one interval later, and a first beacon value.
 */
import type { ServiceContext } from '../mux/context.ts';
import type { BeaconGenesis } from './api/genesis.ts';
import { epochInterval } from './api/params.ts';
import { insecureBeacon } from './entropy.ts';
import {
  setBaseEpochState,
  setBeaconParameters,
  setBeaconValue,
  setCurrentEpochState,
  setFutureEpochState,
} from './state.ts';

/** Loads the section into `ctx` (an init context). */
export function loadBeaconGenesis(ctx: ServiceContext, g: BeaconGenesis): void {
  setBeaconParameters(ctx.state, g.params);
  const base = { epoch: g.base, height: ctx.height };
  setBaseEpochState(ctx.state, base);
  setCurrentEpochState(ctx.state, base);
  setFutureEpochState(ctx.state, { epoch: g.base + 1n, height: ctx.height + epochInterval(g.params) });
  setBeaconValue(ctx.state, insecureBeacon(g.base, ctx.height, ctx.block.time, new Uint8Array(0)));
}
