/**
 * The staking ledger's types in oasis-core's CBOR shape (`go/staking/api/api.go`): accounts with a general
 * part {balance, nonce, allowances} and an escrow part {active, debonding share pools, commission schedule,
 * stake accumulator}; delegations and debonding delegations. Every account field is `omitempty`: zero
 * quantities, zero nonces, empty maps and all-empty structs are left out of the encoding.
 */
import { type CborValue, encodeCanonical } from '../../../codec/cbor.ts';
import { quantity, quantityToBytes } from '../../../codec/quantity.ts';
import { arrayOf, type Decoder, enumOf, mapOf, optional, struct, text, u64 } from '../../../codec/schema.ts';
import { type AddressHex, addressDecoder, addressOfHex, compareHex, hexOf } from './address.ts';
import {
  type CommissionSchedule,
  commissionScheduleDecoder,
  commissionScheduleToCbor,
  emptyCommissionSchedule,
} from './commission.ts';

/** Staking threshold kinds (`ThresholdKind`). */
export const ThresholdKind = Object.freeze({
  entity: 0,
  nodeValidator: 1,
  nodeCompute: 2,
  nodeObserver: 3,
  nodeKeyManager: 4,
  runtimeCompute: 5,
  runtimeKeyManager: 6,
  keyManagerChurp: 7,
});
/** A threshold kind value. */
export type ThresholdKindValue = (typeof ThresholdKind)[keyof typeof ThresholdKind];
/** Every threshold kind. */
export const THRESHOLD_KINDS: readonly ThresholdKindValue[] = [0, 1, 2, 3, 4, 5, 6, 7];
/** Decoder of a threshold kind. */
export const thresholdKindDecoder: Decoder<ThresholdKindValue> = enumOf(THRESHOLD_KINDS);

/** A pool of stake owned in shares: deposits mint shares, withdrawals burn them. */
export interface SharePool {
  balance: bigint;
  totalShares: bigint;
}

/** One stake claim requirement: a global threshold kind or a constant amount. */
export interface StakeThreshold {
  global?: ThresholdKindValue;
  const?: bigint;
}

/** Stake claims by claim name. */
export type StakeClaims = Map<string, StakeThreshold[]>;

/** The general (liquid) part of an account. */
export interface GeneralAccount {
  balance: bigint;
  nonce: bigint;
  /** Allowances by beneficiary address (hex). */
  allowances: Map<AddressHex, bigint>;
}

/** The escrow (staked) part of an account. */
export interface EscrowAccount {
  active: SharePool;
  debonding: SharePool;
  commissionSchedule: CommissionSchedule;
  claims: StakeClaims;
}

/** A staking ledger entry. */
export interface Account {
  general: GeneralAccount;
  escrow: EscrowAccount;
}

/** A delegation: shares of an escrow account's active pool. */
export interface Delegation {
  shares: bigint;
}

/** A debonding delegation: shares of the debonding pool, released at `debondEndTime`. */
export interface DebondingDelegation {
  shares: bigint;
  debondEndTime: bigint;
}

/** A new, empty account. */
export function emptyAccount(): Account {
  return {
    general: { balance: 0n, nonce: 0n, allowances: new Map() },
    escrow: {
      active: { balance: 0n, totalShares: 0n },
      debonding: { balance: 0n, totalShares: 0n },
      commissionSchedule: emptyCommissionSchedule(),
      claims: new Map(),
    },
  };
}

type Obj = Record<string, unknown>;

function putQuantity(out: Obj, key: string, v: bigint): void {
  if (v !== 0n) out[key] = quantityToBytes(v);
}

function sharePoolToCbor(p: SharePool): Obj {
  const out: Obj = {};
  putQuantity(out, 'balance', p.balance);
  putQuantity(out, 'total_shares', p.totalShares);
  return out;
}

function thresholdToCbor(t: StakeThreshold): Obj {
  const out: Obj = {};
  if (t.global !== undefined) out.global = t.global;
  if (t.const !== undefined) out.const = quantityToBytes(t.const);
  return out;
}

function nonEmpty(o: Obj): boolean {
  return Object.keys(o).length > 0;
}

/** The CBOR-ready form of an account (omitempty rules applied). */
export function accountToCbor(a: Account): Obj {
  const general: Obj = {};
  putQuantity(general, 'balance', a.general.balance);
  if (a.general.nonce !== 0n) general.nonce = a.general.nonce;
  if (a.general.allowances.size > 0) {
    const m = new Map<Uint8Array, Uint8Array>();
    for (const k of [...a.general.allowances.keys()].sort(compareHex)) {
      m.set(addressOfHex(k), quantityToBytes(a.general.allowances.get(k)!));
    }
    general.allowances = m;
  }
  const escrow: Obj = {};
  const active = sharePoolToCbor(a.escrow.active);
  if (nonEmpty(active)) escrow.active = active;
  const debonding = sharePoolToCbor(a.escrow.debonding);
  if (nonEmpty(debonding)) escrow.debonding = debonding;
  const cs = commissionScheduleToCbor(a.escrow.commissionSchedule);
  if (nonEmpty(cs)) escrow.commission_schedule = cs;
  if (a.escrow.claims.size > 0) {
    const claims: Obj = {};
    for (const name of [...a.escrow.claims.keys()].sort()) {
      claims[name] = a.escrow.claims.get(name)!.map(thresholdToCbor);
    }
    escrow.stake_accumulator = { claims };
  }
  const out: Obj = {};
  if (nonEmpty(general)) out.general = general;
  if (nonEmpty(escrow)) out.escrow = escrow;
  return out;
}

/** Canonical CBOR of an account. */
export function encodeAccount(a: Account): Uint8Array {
  return encodeCanonical(accountToCbor(a));
}

const sharePoolDecoder: Decoder<SharePool> = (value, path) => {
  const d = struct({ balance: optional(quantity), total_shares: optional(quantity) })(value, path);
  return { balance: d.balance ?? 0n, totalShares: d.total_shares ?? 0n };
};

const thresholdDecoder: Decoder<StakeThreshold> = (value, path) => {
  const d = struct({ global: optional(thresholdKindDecoder), const: optional(quantity) })(value, path);
  const t: StakeThreshold = {};
  if (d.global !== undefined) t.global = d.global;
  if (d.const !== undefined) t.const = d.const;
  return t;
};

const generalDecoder = struct({
  balance: optional(quantity),
  nonce: optional(u64),
  allowances: optional(mapOf(addressDecoder, quantity)),
});

const escrowDecoder = struct({
  active: optional(sharePoolDecoder),
  debonding: optional(sharePoolDecoder),
  commission_schedule: optional(commissionScheduleDecoder),
  stake_accumulator: optional(struct({ claims: optional(mapOf(text, arrayOf(thresholdDecoder))) })),
});

/** Strict decoder of an account. */
export const accountDecoder: Decoder<Account> = (value, path) => {
  const d = struct({ general: optional(generalDecoder), escrow: optional(escrowDecoder) })(value, path);
  const a = emptyAccount();
  if (d.general) {
    a.general.balance = d.general.balance ?? 0n;
    a.general.nonce = d.general.nonce ?? 0n;
    for (const [k, v] of d.general.allowances ?? []) a.general.allowances.set(hexOf(k), v);
  }
  if (d.escrow) {
    if (d.escrow.active) a.escrow.active = d.escrow.active;
    if (d.escrow.debonding) a.escrow.debonding = d.escrow.debonding;
    if (d.escrow.commission_schedule) a.escrow.commissionSchedule = d.escrow.commission_schedule;
    for (const [k, v] of d.escrow.stake_accumulator?.claims ?? []) a.escrow.claims.set(k, v);
  }
  return a;
};

/** CBOR-ready delegation (`shares` is always present). */
export function delegationToCbor(d: Delegation): Obj {
  return { shares: quantityToBytes(d.shares) };
}

/** Strict decoder of a delegation. */
export const delegationDecoder: Decoder<Delegation> = (value, path) =>
  struct({ shares: quantity })(value, path);

/** CBOR-ready debonding delegation. */
export function debondingDelegationToCbor(d: DebondingDelegation): Obj {
  return { shares: quantityToBytes(d.shares), debond_end: d.debondEndTime };
}

/** Strict decoder of a debonding delegation. */
export const debondingDelegationDecoder: Decoder<DebondingDelegation> = (value, path) => {
  const d = struct({ shares: quantity, debond_end: u64 })(value, path);
  return { shares: d.shares, debondEndTime: d.debond_end };
};

/** Re-exported for callers that hold decoded CBOR. */
export type { CborValue };
