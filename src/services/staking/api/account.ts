/**
 * The staking ledger's types in oasis-core's CBOR shape (`go/staking/api/api.go`): accounts with a general
 * part {balance, nonce, allowances} and an escrow part {active, debonding share pools, commission schedule,
 * stake accumulator}; delegations and debonding delegations. Every account field is `omitempty`: zero
 * quantities, zero nonces, empty maps and all-empty structs are left out of the encoding.
 */
import { encodeCanonical } from '../../../codec/cbor.ts';
import { type Decoder, enumOf } from '../../../codec/schema.ts';
import {
  arrayCodec,
  enumCodec,
  field,
  mapCodec,
  optionalCodec,
  quantityCodec,
  quantityField,
  structCodec,
  textCodec,
  u64Field,
  viewCodec,
} from '../../../codec/typed.ts';
import { addressCodec } from '../../../crypto/address.ts';
import { type AddressHex, addressOfHex, compareHex, hexOf } from './address.ts';
import {
  type CommissionSchedule,
  commissionScheduleCodec,
  commissionScheduleWireCodec,
  emptyCommissionSchedule,
} from './commission.ts';
import { THRESHOLD_KIND_NAMES } from './names.ts';

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

/** Wire shape of a share pool (both fields omitempty). */
export const sharePoolWireCodec = structCodec({ balance: quantityField(), total_shares: quantityField() });

/** A share pool. */
export const sharePoolCodec = viewCodec(
  sharePoolWireCodec,
  (w): SharePool => ({ balance: w.balance, totalShares: w.total_shares }),
  (p) => ({ balance: p.balance, total_shares: p.totalShares }),
);

/** A threshold kind: a CBOR integer, its JSON name (`node-validator`, …). */
export const thresholdKindCodec = enumCodec(THRESHOLD_KIND_NAMES);

/** Wire shape of a stake threshold (`{global?}` or `{const?}`). */
export const thresholdWireCodec = structCodec({
  global: field(optionalCodec(thresholdKindCodec), true),
  const: field(optionalCodec(quantityCodec), true),
});

const generalWire = structCodec({
  balance: quantityField(),
  nonce: u64Field(),
  allowances: field(mapCodec(addressCodec, quantityCodec), true),
});
const stakeAccumulatorWire = structCodec({
  claims: field(mapCodec(textCodec, arrayCodec(thresholdWireCodec)), true),
});
const escrowWire = structCodec({
  active: field(optionalCodec(sharePoolWireCodec), true),
  debonding: field(optionalCodec(sharePoolWireCodec), true),
  commission_schedule: field(optionalCodec(commissionScheduleWireCodec), true),
  stake_accumulator: field(optionalCodec(stakeAccumulatorWire), true),
});

/** Wire shape of a staking account (every field omitempty; all-empty parts are left out). */
export const accountWireCodec = structCodec({
  general: field(optionalCodec(generalWire), true),
  escrow: field(optionalCodec(escrowWire), true),
});

/** The wire form of an account, typed. */
export type AccountWire = ReturnType<typeof accountWireCodec.decode>;

/** `undefined` for a part whose every field is empty (Go omits an all-empty struct). */
function unlessEmpty<T>(codec: { isEmpty(v: T): boolean }, value: T): T | undefined {
  return codec.isEmpty(value) ? undefined : value;
}

function accountFromWire(w: AccountWire): Account {
  const a = emptyAccount();
  if (w.general) {
    a.general.balance = w.general.balance;
    a.general.nonce = w.general.nonce;
    for (const [k, v] of w.general.allowances) a.general.allowances.set(hexOf(k), v);
  }
  if (w.escrow) {
    if (w.escrow.active) a.escrow.active = sharePoolCodec.fromWire(w.escrow.active, '');
    if (w.escrow.debonding) a.escrow.debonding = sharePoolCodec.fromWire(w.escrow.debonding, '');
    if (w.escrow.commission_schedule)
      a.escrow.commissionSchedule = commissionScheduleCodec.fromWire(w.escrow.commission_schedule, '');
    for (const [name, list] of w.escrow.stake_accumulator?.claims ?? []) {
      a.escrow.claims.set(
        name,
        list.map((t) => {
          const out: StakeThreshold = {};
          if (t.global !== undefined) out.global = t.global as ThresholdKindValue;
          if (t.const !== undefined) out.const = t.const;
          return out;
        }),
      );
    }
  }
  return a;
}

function accountToWire(a: Account): AccountWire {
  const general = {
    balance: a.general.balance,
    nonce: a.general.nonce,
    allowances: new Map(
      [...a.general.allowances.keys()]
        .sort(compareHex)
        .map((k) => [addressOfHex(k), a.general.allowances.get(k)!]),
    ),
  };
  const claims = new Map(
    [...a.escrow.claims.keys()]
      .sort()
      .map((name) => [name, a.escrow.claims.get(name)!.map((t) => ({ global: t.global, const: t.const }))]),
  );
  const escrow = {
    active: unlessEmpty(sharePoolWireCodec, sharePoolCodec.toWire(a.escrow.active)),
    debonding: unlessEmpty(sharePoolWireCodec, sharePoolCodec.toWire(a.escrow.debonding)),
    commission_schedule: unlessEmpty(
      commissionScheduleWireCodec,
      commissionScheduleCodec.toWire(a.escrow.commissionSchedule),
    ),
    stake_accumulator: claims.size > 0 ? { claims } : undefined,
  };
  return { general: unlessEmpty(generalWire, general), escrow: unlessEmpty(escrowWire, escrow) };
}

/** A staking account (CBOR and JSON as oasis-core's `Account`). */
export const accountCodec = viewCodec(accountWireCodec, accountFromWire, accountToWire);

/** Canonical CBOR of an account. */
export function encodeAccount(a: Account): Uint8Array {
  return encodeCanonical(accountCodec.encode(a));
}

/** A delegation (`shares` always present). */
export const delegationCodec = structCodec({ shares: quantityField(false) });

/** Wire shape of a debonding delegation (both fields always present). */
export const debondingDelegationWireCodec = structCodec({
  shares: quantityField(false),
  debond_end: u64Field(false),
});

/** A debonding delegation. */
export const debondingDelegationCodec = viewCodec(
  debondingDelegationWireCodec,
  (w): DebondingDelegation => ({ shares: w.shares, debondEndTime: w.debond_end }),
  (d) => ({ shares: d.shares, debond_end: d.debondEndTime }),
);
