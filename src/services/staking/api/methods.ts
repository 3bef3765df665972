/**
 * Staking transaction methods and their bodies in oasis-core's CBOR shape (`go/staking/api/api.go`).
 * A body that does not decode strictly fails the transaction with staking/1 (invalid argument).
 */
import type { CborValue } from '../../../codec/cbor.ts';
import { quantity, quantityToBytes } from '../../../codec/quantity.ts';
import { bool, type Decoder, optional, struct } from '../../../codec/schema.ts';
import type { Address } from '../../../crypto/address.ts';
import { addressDecoder } from './address.ts';
import {
  type CommissionSchedule,
  commissionScheduleDecoder,
  commissionScheduleToCbor,
} from './commission.ts';
import { StakingErrors } from './errors.ts';

/** Staking method names. */
export const StakingMethods = Object.freeze({
  transfer: 'staking.Transfer',
  burn: 'staking.Burn',
  addEscrow: 'staking.AddEscrow',
  reclaimEscrow: 'staking.ReclaimEscrow',
  amendCommissionSchedule: 'staking.AmendCommissionSchedule',
  allow: 'staking.Allow',
  withdraw: 'staking.Withdraw',
});

/** `staking.Transfer` body. */
export interface Transfer {
  to: Address;
  amount: bigint;
}
/** `staking.Burn` body. */
export interface Burn {
  amount: bigint;
}
/** `staking.AddEscrow` body. */
export interface Escrow {
  account: Address;
  amount: bigint;
}
/** `staking.ReclaimEscrow` body. */
export interface ReclaimEscrow {
  account: Address;
  shares: bigint;
}
/** `staking.AmendCommissionSchedule` body. */
export interface AmendCommissionSchedule {
  amendment: CommissionSchedule;
}
/** `staking.Allow` body. */
export interface Allow {
  beneficiary: Address;
  negative: boolean;
  amountChange: bigint;
}
/** `staking.Withdraw` body. */
export interface Withdraw {
  from: Address;
  amount: bigint;
}

const amount = optional(quantity);

/** Strict body decoders, by method. */
export const BodyDecoders = Object.freeze({
  transfer: ((v, p) => {
    const d = struct({ to: addressDecoder, amount })(v, p);
    return { to: d.to, amount: d.amount ?? 0n };
  }) as Decoder<Transfer>,
  burn: ((v, p) => ({ amount: struct({ amount })(v, p).amount ?? 0n })) as Decoder<Burn>,
  escrow: ((v, p) => {
    const d = struct({ account: addressDecoder, amount })(v, p);
    return { account: d.account, amount: d.amount ?? 0n };
  }) as Decoder<Escrow>,
  reclaimEscrow: ((v, p) => {
    const d = struct({ account: addressDecoder, shares: optional(quantity) })(v, p);
    return { account: d.account, shares: d.shares ?? 0n };
  }) as Decoder<ReclaimEscrow>,
  amendCommissionSchedule: ((v, p) => ({
    amendment: struct({ amendment: commissionScheduleDecoder })(v, p).amendment,
  })) as Decoder<AmendCommissionSchedule>,
  allow: ((v, p) => {
    const d = struct({
      beneficiary: addressDecoder,
      negative: optional(bool),
      amount_change: optional(quantity),
    })(v, p);
    return { beneficiary: d.beneficiary, negative: d.negative ?? false, amountChange: d.amount_change ?? 0n };
  }) as Decoder<Allow>,
  withdraw: ((v, p) => {
    const d = struct({ from: addressDecoder, amount })(v, p);
    return { from: d.from, amount: d.amount ?? 0n };
  }) as Decoder<Withdraw>,
});

/** Decodes a method body, turning any decoding failure into staking/1 as oasis-core does. */
export function decodeBody<T>(decoder: Decoder<T>, body: CborValue | undefined): T {
  try {
    return decoder(body === undefined ? null : body, 'body');
  } catch (err) {
    throw StakingErrors.invalidArgument(`staking: invalid argument: ${(err as Error).message}`);
  }
}

/** CBOR-ready bodies, for clients and tests that build transactions. */
export const BodyEncoders = Object.freeze({
  transfer: (b: Transfer) => ({ to: b.to, amount: quantityToBytes(b.amount) }),
  burn: (b: Burn) => ({ amount: quantityToBytes(b.amount) }),
  escrow: (b: Escrow) => ({ account: b.account, amount: quantityToBytes(b.amount) }),
  reclaimEscrow: (b: ReclaimEscrow) => ({ account: b.account, shares: quantityToBytes(b.shares) }),
  amendCommissionSchedule: (b: AmendCommissionSchedule) => ({
    amendment: commissionScheduleToCbor(b.amendment),
  }),
  allow: (b: Allow) => {
    const out: Record<string, unknown> = {
      beneficiary: b.beneficiary,
      amount_change: quantityToBytes(b.amountChange),
    };
    if (b.negative) out.negative = true;
    return out;
  },
  withdraw: (b: Withdraw) => ({ from: b.from, amount: quantityToBytes(b.amount) }),
});
