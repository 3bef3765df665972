/**
 * Loads the registry's genesis section (`api/genesis.ts`): parameters, signed entities, runtimes (active
 * and suspended), multi-signed nodes and node statuses. Every descriptor is verified exactly as its registration transaction would verify it (minus signer, expiry and gas
 * checks), in dependency order, and a failure names the offending item.
 */
import { toBase64, toHex } from '../../codec/bytes.ts';
import type { ServiceContext } from '../mux/context.ts';
import type { RegistryGenesis } from './api/genesis.ts';
import { NodeRoles } from './api/node.ts';
import { type Runtime, RuntimeKind } from './api/runtime.ts';
import { RegistryState, type RegistryStateReader } from './state.ts';
import { suspendRuntime } from './suspension.ts';
import { registerEntity } from './tx/entity.ts';
import { registerNode } from './tx/node.ts';
import { registerRuntime } from './tx/runtime.ts';
import { peekNodeKey } from './verify_node.ts';

export type { RegistryGenesis } from './api/genesis.ts';

function named<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    throw new Error(`registry genesis: ${what}: ${(err as Error).message}`);
  }
}

function runtimeName(list: string, i: number, rt: Runtime): string {
  return `${list}[${i}] (runtime ${toHex(rt.id)})`;
}

/** Verifies and loads the section into `ctx` (an init context, after staking's genesis). */
export function loadRegistryGenesis(ctx: ServiceContext, g: RegistryGenesis): void {
  const reg = new RegistryState(ctx.state);
  reg.setParameters(g.params);
  for (const [i, signed] of g.entities.entries()) {
    named(`entities[${i}] (entity ${toBase64(signed.signature.public_key)})`, () =>
      registerEntity(ctx, signed),
    );
  }
  // Key manager runtimes first, so compute runtimes can refer to them.
  for (const kind of [RuntimeKind.keymanager, RuntimeKind.compute]) {
    for (const [i, rt] of g.runtimes.entries()) {
      if (rt.kind === kind) named(runtimeName('runtimes', i, rt), () => registerRuntime(ctx, rt));
    }
  }
  for (const [i, rt] of g.suspended_runtimes.entries()) {
    named(runtimeName('suspended_runtimes', i, rt), () => {
      registerRuntime(ctx, rt);
      suspendRuntime(ctx, rt.id);
    });
  }
  for (const [i, signed] of g.nodes.entries()) {
    const id = named(`nodes[${i}]`, () => peekNodeKey(signed, 'id'));
    named(`nodes[${i}] (node ${toBase64(id)})`, () => registerNode(ctx, signed));
  }
  for (const [id, status] of g.node_statuses) {
    named(`node_statuses[${toBase64(id)}]`, () => {
      reg.requireNode(id);
      reg.setNodeStatus(id, status);
    });
  }
}

/**
 * The genesis section that recreates the registry state (oasis-core `StateToGenesis`): like oasis-core,
 * only validator nodes (and their statuses) carry over; other nodes re-register on the new chain.
 */
export function registryStateToGenesis(reg: RegistryStateReader): RegistryGenesis {
  const nodes = [...reg.storedNodes()].filter((s) => (s.node.roles & NodeRoles.validator) !== 0);
  return {
    params: reg.parameters(),
    entities: [...reg.signedEntities()],
    runtimes: reg.runtimes(),
    suspended_runtimes: reg.suspendedRuntimes(),
    nodes: nodes.map((s) => s.signed),
    node_statuses: new Map(nodes.map((s) => [s.node.id, reg.nodeStatus(s.node.id)])),
  };
}
