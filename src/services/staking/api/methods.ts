/**
 * Staking transaction methods and their bodies in oasis-core's CBOR shape (`go/staking/api/api.go`).
 * A body that does not decode strictly fails the transaction with staking/1 (invalid argument).
 */
import type { CborValue } from '../../../codec/cbor.ts';
import type { Decoder } from '../../../codec/schema.ts';
import { type Codec, field, flagField, quantityField, structCodec, viewCodec } from '../../../codec/typed.ts';
import { type Address, addressCodec } from '../../../crypto/address.ts';
import { type CommissionSchedule, commissionScheduleCodec } from './commission.ts';
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

const amount = quantityField(false);

/** Typed codecs of the method bodies (wire field names; quantities always present, as oasis-core writes). */
export const BodyCodecs = Object.freeze({
  transfer: structCodec({ to: field(addressCodec), amount }) as Codec<Transfer>,
  burn: structCodec({ amount }) as Codec<Burn>,
  escrow: structCodec({ account: field(addressCodec), amount }) as Codec<Escrow>,
  reclaimEscrow: structCodec({
    account: field(addressCodec),
    shares: quantityField(false),
  }) as Codec<ReclaimEscrow>,
  amendCommissionSchedule: structCodec({
    amendment: field(commissionScheduleCodec),
  }) as Codec<AmendCommissionSchedule>,
  allow: viewCodec(
    structCodec({
      beneficiary: field(addressCodec),
      negative: flagField(),
      amount_change: quantityField(false),
    }),
    (w): Allow => ({ beneficiary: w.beneficiary, negative: w.negative, amountChange: w.amount_change }),
    (b) => ({ beneficiary: b.beneficiary, negative: b.negative, amount_change: b.amountChange }),
  ) as Codec<Allow>,
  withdraw: structCodec({ from: field(addressCodec), amount }) as Codec<Withdraw>,
});

type Bodies = typeof BodyCodecs;
type BodyOf<K extends keyof Bodies> = Bodies[K] extends Codec<infer T> ? T : never;

/** Strict body decoders, by method (each body codec's `decode`). */
export const BodyDecoders = Object.freeze(
  Object.fromEntries(
    Object.entries(BodyCodecs).map(([k, c]) => [k, (v: CborValue, p: string) => c.decode(v, p)]),
  ),
) as { readonly [K in keyof Bodies]: Decoder<BodyOf<K>> };

/** Decodes a method body, turning any decoding failure into staking/1 as oasis-core does. */
export function decodeBody<T>(decoder: Decoder<T>, body: CborValue | undefined): T {
  try {
    return decoder(body === undefined ? null : body, 'body');
  } catch (err) {
    throw StakingErrors.invalidArgument(`staking: invalid argument: ${(err as Error).message}`);
  }
}

/** CBOR-ready bodies, for clients and tests that build transactions (each body codec's `encode`). */
export const BodyEncoders = Object.freeze(
  Object.fromEntries(Object.entries(BodyCodecs).map(([k, c]) => [k, (b: never) => c.encode(b)])),
) as { readonly [K in keyof Bodies]: (body: BodyOf<K>) => Record<string, unknown> };
