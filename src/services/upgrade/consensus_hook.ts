/**
 * The upgrade manager plugged into block execution (`UpgradeHook`), as oasis-core's mux and governance
 * application drive their upgrader:
 * - BeginBlock: the manager's consensus step for this block (stops the node when this block is the first
 *   of an upgrade epoch it cannot run, or runs the handler's consensus stage when it can); and a
 *   governance upgrade scheduled for this epoch that the manager never took up stops the node too;
 * - EndBlock: the consensus stage again, then the governance proposals executed in this block reach the
 *   manager — a passed upgrade is scheduled, a passed cancellation unschedules its upgrade;
 * - CheckTx: transactions wait while an upgrade is in progress (consensus/transaction 4).
 */
import { TxErrors } from '../../consensus/api/transaction.ts';
import { CodedError } from '../../errors.ts';
import { epochOfBlock, futureEpochState } from '../beacon/state.ts';
import { GOVERNANCE_MODULE } from '../governance/api/errors.ts';
import { GovernanceEventKinds } from '../governance/api/events.ts';
import { GovernanceStateReader } from '../governance/state.ts';
import type { ServiceContext } from '../mux/context.ts';
import type { UpgradeHook } from '../mux/upgrade_hook.ts';
import type { UpgradeDescriptor } from './api/descriptor.ts';
import { UPGRADE_MODULE, UpgradeErrors } from './api/errors.ts';
import { hasStage, UpgradeStage } from './api/pending.ts';
import type { UpgradeLog, UpgradeManager } from './manager.ts';

/** What the hook does with a governance decision the manager refuses (logged; the chain goes on). */
function tolerate(log: UpgradeLog, what: string, d: UpgradeDescriptor, fn: () => void): void {
  try {
    fn();
  } catch (err) {
    if (CodedError.is(err, UPGRADE_MODULE, 5)) return; // already pending: seen before a replay
    log('warn', `failed to locally ${what} the upgrade descriptor`, {
      handler: d.handler,
      epoch: d.epoch,
      err: (err as Error).message,
    });
  }
}

/** Passes governance's executed upgrade and cancel proposals of this block to the manager. */
function applyExecutedProposals(ctx: ServiceContext, manager: UpgradeManager, log: UpgradeLog): void {
  const gov = new GovernanceStateReader(ctx.state);
  for (const e of ctx.events) {
    if (e.module !== GOVERNANCE_MODULE || e.kind !== GovernanceEventKinds.proposalExecuted) continue;
    const content = gov.proposal((e.value as { id: bigint }).id)?.content;
    const upgrade = content?.upgrade;
    if (upgrade !== undefined) tolerate(log, 'apply', upgrade, () => manager.submitDescriptor(upgrade));
    const cancelled = content?.cancel_upgrade;
    if (cancelled === undefined) continue;
    const target = gov.proposal(cancelled.proposal_id)?.content.upgrade;
    if (target !== undefined) tolerate(log, 'cancel', target, () => manager.cancelUpgrade(target));
  }
}

/** Stops for a governance upgrade of the epoch starting at this block that the manager is not running. */
function checkGovernanceUpgrades(ctx: ServiceContext, manager: UpgradeManager): void {
  const future = futureEpochState(ctx.state);
  if (future?.height !== ctx.height) return;
  for (const p of new GovernanceStateReader(ctx.state).pendingUpgradeProposals()) {
    const d = p.content.upgrade!;
    if (d.epoch !== future.epoch) continue;
    let running = false;
    try {
      running = hasStage(manager.getUpgrade(d), UpgradeStage.startup);
    } catch {}
    if (!running)
      throw UpgradeErrors.stopForUpgrade(
        `upgrade: governance upgrade "${d.handler}" at epoch ${d.epoch} (proposal ${p.id}) is not being applied by this node`,
      );
  }
}

/** The hook over `manager`. */
export function upgradeHook(manager: UpgradeManager, log: UpgradeLog = () => {}): UpgradeHook {
  const step = (ctx: ServiceContext) =>
    manager.consensusUpgrade(ctx, epochOfBlock(ctx.state, ctx.height), BigInt(ctx.height - 1));
  return {
    beginBlock(ctx) {
      step(ctx);
      checkGovernanceUpgrades(ctx, manager);
    },
    endBlock(ctx) {
      step(ctx);
      applyExecutedProposals(ctx, manager, log);
    },
    checkTx(lastHeight) {
      if (manager.hasPendingUpgradeAt(BigInt(lastHeight)))
        throw TxErrors.upgradePending('upgrade pending: transactions wait until the upgrade block');
    },
  };
}
