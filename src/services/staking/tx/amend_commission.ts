/**
 * `staking.AmendCommissionSchedule`: only accounts with at least the entity + validator thresholds in
 * active escrow may set a schedule (keeps state small); the amendment must satisfy the schedule rules.
 */
import type { ServiceContext } from '../../mux/context.ts';
import { ThresholdKind } from '../api/account.ts';
import { isReserved } from '../api/address.ts';
import { insufficientStakeFor, StakingErrors } from '../api/errors.ts';
import type { AmendCommissionSchedule } from '../api/methods.ts';
import { GasOps } from '../api/params.ts';
import { amendAndPruneAndValidate } from '../commission.ts';
import { beginMethod } from './common.ts';

/** Executes `staking.AmendCommissionSchedule`. */
export function amendCommissionSchedule(ctx: ServiceContext, body: AmendCommissionSchedule): void {
  const scope = beginMethod(ctx, GasOps.amendCommissionSchedule);
  if (scope === undefined) return;
  const { st, params, caller } = scope;
  const epoch = ctx.currentEpoch();
  if (isReserved(caller)) throw StakingErrors.forbidden();
  const account = st.account(caller);
  const required =
    (params.thresholds.get(ThresholdKind.entity) ?? 0n) +
    (params.thresholds.get(ThresholdKind.nodeValidator) ?? 0n);
  if (account.escrow.active.balance < required)
    throw insufficientStakeFor(required, account.escrow.active.balance);
  amendAndPruneAndValidate(
    account.escrow.commissionSchedule,
    body.amendment,
    params.commissionScheduleRules,
    epoch,
  );
  st.setAccount(caller, account);
}
