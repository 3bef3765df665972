/**
 * Loads the roothash genesis section (`api/genesis.ts`): checks and stores the parameters, checks the
 * runtimes the registry's genesis registered against them, and starts every runtime (from its
 * `runtime_states` entry when the genesis is a dump, else from its descriptor's genesis).
 */
import { toHex } from '../../codec/bytes.ts';
import type { ServiceContext } from '../mux/context.ts';
import { RegistryStateReader } from '../registry/state.ts';
import { RoothashErrors } from './api/errors.ts';
import type { RoothashGenesis } from './api/genesis.ts';
import { type RoothashParameters, verifyRuntimeParameters } from './api/params.ts';
import { addNewRuntimes } from './epoch.ts';
import { RoothashState } from './state.ts';

/** Refuses parameters oasis-core's genesis sanity check refuses. */
export function validateRoothashParameters(p: RoothashParameters): void {
  if (p.max_runtime_messages > 256) throw RoothashErrors.maxMessagesTooBig();
}

/** Validates and loads the section into `ctx` (an init context, after the registry's genesis). */
export function loadRoothashGenesis(ctx: ServiceContext, g: RoothashGenesis): void {
  validateRoothashParameters(g.params);
  const st = new RoothashState(ctx.state);
  st.setParameters(g.params);
  // The registry's genesis ran before these parameters existed: check its runtimes now.
  const registry = new RegistryStateReader(ctx.state);
  for (const rt of [...registry.runtimes(), ...registry.suspendedRuntimes()])
    verifyRuntimeParameters(rt, g.params);
  const starts = new Map([...g.runtime_states].map(([id, s]) => [toHex(id), s]));
  addNewRuntimes(ctx, st, starts);
}
