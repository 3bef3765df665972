/**
 * Debonding maturity (oasis-core `onEpochChange`): at the end of the first block of an epoch, every
 * debonding delegation whose end epoch has arrived is redeemed from the escrow account's debonding pool
 * into the delegator's general balance, in queue order, with a ReclaimEscrowEvent each.
 */
import { bytesEqual } from '../../codec/bytes.ts';
import type { ServiceContext } from '../mux/context.ts';
import { emitStaking } from './api/events.ts';
import { withdrawFromPool } from './share_pool.ts';
import type { StakingState } from './state.ts';

/** Releases every debonding delegation that matured by `epoch`. */
export function processMatureDebonding(ctx: ServiceContext, st: StakingState, epoch: bigint): void {
  for (const e of st.expiredDebondingQueue(epoch)) {
    const self = bytesEqual(e.delegator, e.escrow);
    const delegator = st.account(e.delegator);
    const escrow = self ? delegator : st.account(e.escrow);
    const shares = e.delegation.shares;
    const amount = withdrawFromPool(escrow.escrow.debonding, shares);
    delegator.general.balance += amount;
    st.removeDebondingDelegation(e.delegator, e.escrow, e.delegation.debondEndTime);
    st.setAccount(e.delegator, delegator);
    if (!self) st.setAccount(e.escrow, escrow);
    emitStaking.reclaimEscrow(ctx, e.delegator, e.escrow, amount, shares);
  }
}
