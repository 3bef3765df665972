/**
 * Staking events with oasis-core's kinds and CBOR field names (`go/staking/api/api.go`): each helper
 * emits one typed event on a context.
 */
import { quantityToBytes } from '../../../codec/quantity.ts';
import type { Address } from '../../../crypto/address.ts';
import type { ServiceContext } from '../../mux/context.ts';
import { STAKING_MODULE } from './errors.ts';

/** Event kinds. */
export const StakingEventKinds = Object.freeze({
  transfer: 'transfer',
  burn: 'burn',
  addEscrow: 'add_escrow',
  takeEscrow: 'take_escrow',
  debondingStart: 'debonding_start',
  reclaimEscrow: 'reclaim_escrow',
  allowanceChange: 'allowance_change',
});

const q = quantityToBytes;

/** Emitters of every staking event. */
export const emitStaking = Object.freeze({
  transfer(ctx: ServiceContext, from: Address, to: Address, amount: bigint): void {
    ctx.emit(STAKING_MODULE, StakingEventKinds.transfer, { from, to, amount: q(amount) });
  },
  burn(ctx: ServiceContext, owner: Address, amount: bigint): void {
    ctx.emit(STAKING_MODULE, StakingEventKinds.burn, { owner, amount: q(amount) });
  },
  addEscrow(ctx: ServiceContext, owner: Address, escrow: Address, amount: bigint, newShares: bigint): void {
    ctx.emit(STAKING_MODULE, StakingEventKinds.addEscrow, {
      owner,
      escrow,
      amount: q(amount),
      new_shares: q(newShares),
    });
  },
  takeEscrow(ctx: ServiceContext, owner: Address, amount: bigint, debondingAmount: bigint): void {
    ctx.emit(STAKING_MODULE, StakingEventKinds.takeEscrow, {
      owner,
      amount: q(amount),
      debonding_amount: q(debondingAmount),
    });
  },
  debondingStart(
    ctx: ServiceContext,
    e: {
      owner: Address;
      escrow: Address;
      amount: bigint;
      activeShares: bigint;
      debondingShares: bigint;
      debondEndTime: bigint;
    },
  ): void {
    ctx.emit(STAKING_MODULE, StakingEventKinds.debondingStart, {
      owner: e.owner,
      escrow: e.escrow,
      amount: q(e.amount),
      active_shares: q(e.activeShares),
      debonding_shares: q(e.debondingShares),
      debond_end_time: e.debondEndTime,
    });
  },
  reclaimEscrow(ctx: ServiceContext, owner: Address, escrow: Address, amount: bigint, shares: bigint): void {
    ctx.emit(STAKING_MODULE, StakingEventKinds.reclaimEscrow, {
      owner,
      escrow,
      amount: q(amount),
      shares: q(shares),
    });
  },
  allowanceChange(
    ctx: ServiceContext,
    e: { owner: Address; beneficiary: Address; allowance: bigint; negative: boolean; amountChange: bigint },
  ): void {
    const value: Record<string, unknown> = {
      owner: e.owner,
      beneficiary: e.beneficiary,
      allowance: q(e.allowance),
      amount_change: q(e.amountChange),
    };
    if (e.negative) value.negative = true;
    ctx.emit(STAKING_MODULE, StakingEventKinds.allowanceChange, value);
  },
});
