/**
 * The registry consensus service (`200_registry`): entity, node and runtime registrations, node freezing
 * and unfreezing, and node expiry at epoch changes (in BeginBlock, after the beacon moved the epoch and
 * before the scheduler elects from the registry).
 */
import type { CborValue } from '../../codec/cbor.ts';
import type { StateReader } from '../../state/api.ts';
import type { ServiceContext } from '../mux/context.ts';
import type { ConsensusService, GenesisSections } from '../mux/service.ts';
import { REGISTRY_MODULE } from './api/entity.ts';
import { RegistryErrors } from './api/errors.ts';
import { RegistryBodies, RegistryMethods } from './api/methods.ts';
import { onRegistryEpochChanged } from './epoch.ts';
import { loadRegistryGenesis, type RegistryGenesis } from './genesis.ts';
import { checkRegistryInvariants } from './sanity.ts';
import { deregisterEntity, registerEntity } from './tx/entity.ts';
import { proveFreshness } from './tx/freshness.ts';
import { registerNode, unfreezeNode } from './tx/node.ts';
import { registerRuntime } from './tx/runtime.ts';

/** oasis-core's app name (ordering prefix 200, before the scheduler). */
export const REGISTRY_APP_NAME = '200_registry';
/** oasis-core's CheckTx priority for registry transactions. */
export const REGISTRY_APP_PRIORITY = 50_000n;

type Handler = (ctx: ServiceContext, body: CborValue | undefined) => void;

const HANDLERS: ReadonlyMap<string, Handler> = new Map<string, Handler>([
  [RegistryMethods.registerEntity, (c, b) => registerEntity(c, RegistryBodies.registerEntity(b))],
  [RegistryMethods.deregisterEntity, (c) => deregisterEntity(c)],
  [RegistryMethods.registerNode, (c, b) => registerNode(c, RegistryBodies.registerNode(b))],
  [RegistryMethods.unfreezeNode, (c, b) => unfreezeNode(c, RegistryBodies.unfreezeNode(b))],
  [RegistryMethods.registerRuntime, (c, b) => registerRuntime(c, RegistryBodies.registerRuntime(b))],
  [RegistryMethods.proveFreshness, (c, b) => proveFreshness(c, RegistryBodies.proveFreshness(b))],
]);

/** The registry consensus service. */
export class RegistryService implements ConsensusService {
  readonly name = REGISTRY_APP_NAME;
  readonly module = REGISTRY_MODULE;
  readonly priority = REGISTRY_APP_PRIORITY;
  readonly methods: readonly string[] = [...HANDLERS.keys()];

  /** Loads `genesis.registry` (a decoded `RegistryGenesis`); staking's section must be loaded first. */
  initChain(ctx: ServiceContext, genesis: GenesisSections): void {
    const g = genesis.registry as RegistryGenesis | undefined;
    if (g === undefined) throw new Error('registry: genesis has no registry section');
    loadRegistryGenesis(ctx, g);
  }

  beginBlock(ctx: ServiceContext): void {
    if (ctx.epochChanged()) onRegistryEpochChanged(ctx, ctx.currentEpoch());
  }

  executeTx(ctx: ServiceContext, method: string, body: CborValue | undefined): void {
    const handler = HANDLERS.get(method);
    if (handler === undefined) throw RegistryErrors.invalidArgument(`unknown method ${method}`);
    handler(ctx, body);
  }

  sanityCheck(state: StateReader): void {
    checkRegistryInvariants(state);
  }
}
