/**
 * Registry events with oasis-core's kinds and CBOR shapes (`go/registry/api/api.go`): entity and node
 * (de)registrations, runtime started/suspended, node unfrozen and the per-epoch node list marker.
 */
import type { ServiceContext } from '../../mux/context.ts';
import { type Entity, entityCodec, REGISTRY_MODULE } from './entity.ts';
import { type NodeDescriptor, nodeCodec } from './node.ts';
import { type Runtime, runtimeCodec } from './runtime.ts';

/** Event kinds. */
export const RegistryEventKinds = Object.freeze({
  entity: 'entity',
  node: 'node',
  runtimeStarted: 'runtime_started',
  runtimeSuspended: 'runtime_suspended',
  nodeUnfrozen: 'node_unfrozen',
  nodeListEpoch: 'node_list_epoch',
});

/** Emitters of every registry event. */
export const emitRegistry = Object.freeze({
  entity(ctx: ServiceContext, entity: Entity, isRegistration: boolean): void {
    ctx.emit(REGISTRY_MODULE, RegistryEventKinds.entity, {
      entity: entityCodec.encode(entity),
      is_registration: isRegistration,
    });
  },
  node(ctx: ServiceContext, node: NodeDescriptor, isRegistration: boolean): void {
    ctx.emit(REGISTRY_MODULE, RegistryEventKinds.node, {
      node: nodeCodec.encode(node),
      is_registration: isRegistration,
    });
  },
  runtimeStarted(ctx: ServiceContext, rt: Runtime): void {
    ctx.emit(REGISTRY_MODULE, RegistryEventKinds.runtimeStarted, { runtime: runtimeCodec.encode(rt) });
  },
  runtimeSuspended(ctx: ServiceContext, runtimeId: Uint8Array): void {
    ctx.emit(REGISTRY_MODULE, RegistryEventKinds.runtimeSuspended, { runtime_id: runtimeId });
  },
  nodeUnfrozen(ctx: ServiceContext, nodeId: Uint8Array): void {
    ctx.emit(REGISTRY_MODULE, RegistryEventKinds.nodeUnfrozen, { node_id: nodeId });
  },
  nodeListEpoch(ctx: ServiceContext): void {
    ctx.emit(REGISTRY_MODULE, RegistryEventKinds.nodeListEpoch, {});
  },
});
