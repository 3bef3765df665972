/**
 * `oasis-core.NodeController`: readiness and sync status for everyone; shutdown and the upgrade
 * descriptors (`UpgradeBinary`, `CancelUpgrade`) for the operator only (served on `internal.sock`, never
 * over gRPC-web).
 */
import type { CborValue } from '../../codec/cbor.ts';
import { bool } from '../../codec/schema.ts';
import { type UpgradeDescriptor, upgradeDescriptorCodec } from '../../services/upgrade/api/descriptor.ts';
import { type ApiMethod, type UnaryMethod, unaryMethod } from '../method.ts';
import { decodeRequestWith } from '../queries.ts';

/** What the node provides to the NodeController service. */
export interface NodeControlBackend {
  /** True once the node has started and caught up. */
  isReady(): boolean;
  /** True when the node is not behind its peers. */
  isSynced(): boolean;
  /** Resolves when ready (or rejects when `signal` aborts). */
  waitReady(signal: AbortSignal): Promise<void>;
  /** Resolves when synced (or rejects when `signal` aborts). */
  waitSync(signal: AbortSignal): Promise<void>;
  /** The `ControlStatus` value. */
  status(): Record<string, unknown>;
  /** Starts a clean shutdown; resolves when it has begun (or finished, with `wait`). */
  requestShutdown(wait: boolean): Promise<void>;
  /** Schedules an upgrade (upgrade/5 when already pending, upgrade/8 when malformed). */
  upgradeBinary(d: UpgradeDescriptor): void;
  /** Cancels a pending upgrade (upgrade/6 once in progress; unknown descriptors are no error). */
  cancelUpgrade(d: UpgradeDescriptor): void;
}

const descriptorOf = (r: CborValue | undefined): UpgradeDescriptor =>
  decodeRequestWith((v, p) => upgradeDescriptorCodec.decode(v, p), r);

const SERVICE = 'oasis-core.NodeController';

/** The NodeController methods. */
export function nodeControllerMethods(node: NodeControlBackend): ApiMethod[] {
  const unary = (name: string, isPublic: boolean, handler: UnaryMethod['handler']) =>
    unaryMethod(SERVICE, name, handler, isPublic);
  return [
    unary('IsReady', true, async () => node.isReady()),
    unary('IsSynced', true, async () => node.isSynced()),
    unary('WaitReady', true, async (_r, ctx) => {
      await node.waitReady(ctx.signal);
      return null;
    }),
    unary('WaitSync', true, async (_r, ctx) => {
      await node.waitSync(ctx.signal);
      return null;
    }),
    unary('GetStatus', true, async () => node.status()),
    unary('RequestShutdown', false, async (r) => {
      await node.requestShutdown(r === undefined ? false : decodeRequestWith(bool, r));
      return null;
    }),
    unary('UpgradeBinary', false, async (r) => {
      node.upgradeBinary(descriptorOf(r));
      return null;
    }),
    unary('CancelUpgrade', false, async (r) => {
      node.cancelUpgrade(descriptorOf(r));
      return null;
    }),
  ];
}
