/**
 * Suspending a runtime (oasis-core registry `SuspendRuntime`): the descriptor moves to the suspended set
 * and a `runtime_suspended` event is emitted. The roothash service suspends runtimes whose owner no
 * longer backs their stake claim; genesis suspends the runtimes listed as suspended. A node registering
 * for the runtime (with the owner's stake back) resumes it (see `tx/node.ts`).
 */
import type { ServiceContext } from '../mux/context.ts';
import { RegistryErrors } from './api/errors.ts';
import { emitRegistry } from './api/events.ts';
import { RegistryState } from './state.ts';

/** Suspends the active runtime `id`; registry/11 when it is not active. */
export function suspendRuntime(ctx: ServiceContext, id: Uint8Array): void {
  if (!new RegistryState(ctx.state).suspendRuntime(id)) throw RegistryErrors.noSuchRuntime();
  if (!ctx.isCheckOnly) emitRegistry.runtimeSuspended(ctx, id);
}
