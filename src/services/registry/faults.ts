/**
 * Per-runtime liveness faults in node statuses (oasis-core `NodeStatus.RecordFailure/RecordSuccess`,
 * `Fault`): each failure the roothash records raises the count and suspends the node from the runtime's
 * committees for 2^failures epochs (at most 64); each success lowers it again, and a fault at zero is
 * dropped.
 */
import { bytesEqual } from '../../codec/bytes.ts';
import { isFrozen, type NodeStatus } from './api/status.ts';

type Fault = NodeStatus['faults'] extends Map<Uint8Array, infer F> ? F : never;

/** Longest suspension, in epochs. */
export const MAX_FAULT_SUSPENSION = 64n;

function faultKey(status: NodeStatus, runtimeId: Uint8Array): Uint8Array | undefined {
  for (const k of status.faults.keys()) if (bytesEqual(k, runtimeId)) return k;
  return undefined;
}

function schedule(f: Fault, epoch: bigint): void {
  if (f.failures === 0) {
    f.suspended_until = 0n;
    return;
  }
  const duration = f.failures > 6 ? MAX_FAULT_SUSPENSION : 1n << BigInt(f.failures);
  f.suspended_until = epoch + duration;
}

/** Records a liveness failure for `runtimeId` at `epoch` (the u8 count wraps as Go's does). */
export function recordFailure(status: NodeStatus, runtimeId: Uint8Array, epoch: bigint): void {
  const k = faultKey(status, runtimeId);
  const fault = (k === undefined ? undefined : status.faults.get(k)) ?? { failures: 0, suspended_until: 0n };
  fault.failures = (fault.failures + 1) & 0xff;
  schedule(fault, epoch);
  status.faults.set(k ?? runtimeId, fault);
}

/** Records a success for `runtimeId`: one failure forgiven; the fault disappears at zero. */
export function recordSuccess(status: NodeStatus, runtimeId: Uint8Array, epoch: bigint): void {
  const k = faultKey(status, runtimeId);
  if (k === undefined) return;
  const fault = status.faults.get(k)!;
  if (fault.failures > 0) fault.failures--;
  schedule(fault, epoch);
  if (fault.failures === 0) status.faults.delete(k);
}

/** True when the node may not serve `runtimeId` at `epoch`: frozen, or suspended for faults. */
export function isSuspended(status: NodeStatus, runtimeId: Uint8Array, epoch: bigint): boolean {
  if (isFrozen(status)) return true;
  const k = faultKey(status, runtimeId);
  const fault = k === undefined ? undefined : status.faults.get(k);
  return fault !== undefined && fault.suspended_until > 0n && epoch < fault.suspended_until;
}
