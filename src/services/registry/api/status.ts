/**
 * Node statuses (`go/registry/api/status.go`): whether a node's expiry was processed, until when it is
 * frozen (slashed nodes must wait, then `UnfreezeNode`), from when it may serve on committees, and its
 * per-runtime liveness faults.
 */
import {
  boolCodec,
  field,
  hexCodec,
  mapCodec,
  structCodec,
  u64Field,
  uintCodec,
  withDefault,
} from '../../../codec/typed.ts';

/** Freeze end meaning "never unfreezable" (oasis-core `FreezeForever`). */
export const FREEZE_FOREVER = (1n << 64n) - 1n;
/** Epoch meaning "never" (oasis-core `EpochInvalid`). */
export const EPOCH_INVALID = (1n << 64n) - 1n;

const faultCodec = structCodec({
  failures: field(
    withDefault(uintCodec, () => 0),
    true,
  ),
  suspended_until: u64Field(),
});

/** The node status (wire field names). */
export const nodeStatusCodec = structCodec({
  expiration_processed: field(withDefault(boolCodec, () => false)),
  freeze_end_time: u64Field(false),
  election_eligible_after: u64Field(false),
  faults: field(mapCodec(hexCodec(32), faultCodec), true),
});

/** A node status. */
export type NodeStatus = ReturnType<typeof nodeStatusCodec.decode>;

/** A fresh status: not frozen, not processed, eligible from the start. */
export function emptyNodeStatus(): NodeStatus {
  return {
    expiration_processed: false,
    freeze_end_time: 0n,
    election_eligible_after: 0n,
    faults: new Map(),
  };
}

/** True while the node is frozen. */
export function isFrozen(status: NodeStatus): boolean {
  return status.freeze_end_time > 0n;
}
