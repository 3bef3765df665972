/**
 * A pending upgrade as the node's upgrade manager keeps it (`upgrade.PendingUpgrade`): the descriptor,
 * the height at which its epoch was reached (0 until then) and the last stage completed (1 startup, 2
 * consensus — then it is done). `NodeController.GetStatus` lists them as `pending_upgrades`.
 */
import { field, structCodec, u64Field } from '../../../codec/typed.ts';
import { upgradeDescriptorCodec } from './descriptor.ts';

/** Upgrade stages (`upgrade.UpgradeStage*`), run in this order. */
export const UpgradeStage = Object.freeze({ startup: 1n, consensus: 2n });

/** `upgrade_height` before the upgrade epoch is reached (`upgrade.InvalidUpgradeHeight`). */
export const INVALID_UPGRADE_HEIGHT = 0n;

/** `upgrade.LatestPendingUpgradeVersion`. */
export const PENDING_UPGRADE_VERSION = 1n;

/** A pending upgrade (every field written, as Go writes them). */
export const pendingUpgradeCodec = structCodec({
  v: u64Field(false),
  descriptor: field(upgradeDescriptorCodec),
  upgrade_height: u64Field(false),
  last_completed_stage: u64Field(false),
});

/** A pending upgrade. */
export type PendingUpgrade = ReturnType<typeof pendingUpgradeCodec.decode>;

/** True once every stage ran (`PendingUpgrade.IsCompleted`). */
export const isCompleted = (pu: PendingUpgrade) => pu.last_completed_stage >= UpgradeStage.consensus;

/** True once `stage` ran (`PendingUpgrade.HasStage`). */
export const hasStage = (pu: PendingUpgrade, stage: bigint) => pu.last_completed_stage >= stage;
