/**
 * The registry section of the genesis document (oasis-core `registry.Genesis`): parameters, signed
 * entities, runtimes (active and suspended), multi-signed nodes and node statuses. Every descriptor is
 * verified exactly as its registration transaction would verify it (minus signer, expiry and gas
 * checks), in dependency order, and a failure names the offending item.
 */
import { toBase64, toHex } from '../../codec/bytes.ts';
import { arrayCodec, bytesCodec, field, mapCodec, structCodec } from '../../codec/typed.ts';
import type { ServiceContext } from '../mux/context.ts';
import { NodeRoles } from './api/node.ts';
import { registryParametersCodec } from './api/params.ts';
import { type Runtime, RuntimeKind, runtimeCodec } from './api/runtime.ts';
import { nodeStatusCodec } from './api/status.ts';
import { RegistryState, type RegistryStateReader } from './state.ts';
import { suspendRuntime } from './suspension.ts';
import { registerEntity } from './tx/entity.ts';
import { registerNode } from './tx/node.ts';
import { registerRuntime } from './tx/runtime.ts';
import { peekNodeKey } from './verify_node.ts';

const signatureCodec = structCodec({
  public_key: field(bytesCodec(32)),
  signature: field(bytesCodec(64)),
});

/** A `Signed` envelope (JSON: base64 raw value and keys). */
export const signedCodec = structCodec({
  untrusted_raw_value: field(bytesCodec()),
  signature: field(signatureCodec),
});

/** A `MultiSigned` envelope. */
export const multiSignedCodec = structCodec({
  untrusted_raw_value: field(bytesCodec()),
  signatures: field(arrayCodec(signatureCodec, 64)),
});

/** The registry genesis section (wire field names). */
export const registryGenesisCodec = structCodec({
  params: field(registryParametersCodec),
  entities: field(arrayCodec(signedCodec), true),
  runtimes: field(arrayCodec(runtimeCodec), true),
  suspended_runtimes: field(arrayCodec(runtimeCodec), true),
  nodes: field(arrayCodec(multiSignedCodec), true),
  node_statuses: field(mapCodec(bytesCodec(32), nodeStatusCodec), true),
});

/** The registry genesis section. */
export type RegistryGenesis = ReturnType<typeof registryGenesisCodec.decode>;

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
