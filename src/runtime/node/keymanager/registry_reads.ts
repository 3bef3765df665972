/**
 * What the key manager's two ends read of the registry: a runtime's descriptor (which key manager it uses)
 * and the registered nodes (who serves the key manager; who computes for a runtime). A port, supplied by the
 * node over the registry's state reader.
 */
import type { NodeDescriptor } from '../../../services/registry/api/node.ts';
import type { Runtime } from '../../../services/registry/api/runtime.ts';
import type { StateReader } from '../../../state/api.ts';

/** Registry reads at one committed state. */
export interface KeyManagerRegistryReads {
  /** A registered (not suspended) runtime's descriptor. */
  runtime(state: StateReader, id: Uint8Array): Runtime | undefined;
  /** Every registered node. */
  nodes(state: StateReader): NodeDescriptor[];
}

/** The request/response protocol a key manager node serves, per chain and key manager runtime. */
export function keyManagerProtocol(chainContext: string, keyManagerId: Uint8Array): string {
  return `/oasis-ts/${chainContext}/keymanager/${Buffer.from(keyManagerId).toString('hex')}/1`;
}
