/**
 * What the upgrade manager keeps in the node's data directory (node-local, never consensus state): the
 * pending upgrades, as oasis-core stores its `descriptors`, and the last upgrade completed here, so that
 * software older than the chain it already upgraded refuses to run it.
 */
import { arrayCodec, field, optionalCodec, structCodec } from '../../../codec/typed.ts';
import { pendingUpgradeCodec } from './pending.ts';

/** The stored record. */
export const upgradeRecordCodec = structCodec({
  pending: field(arrayCodec(pendingUpgradeCodec, 1000)),
  last_completed: field(optionalCodec(pendingUpgradeCodec), true),
});

/** The stored record. */
export type UpgradeRecord = ReturnType<typeof upgradeRecordCodec.decode>;
