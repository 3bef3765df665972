/**
 * The staking query backend (oasis-core `oasis-core.Staking` service): each call reads a `StateReader`
 * at the requested height and answers in oasis-core's CBOR-ready shape, so the same functions serve the
 * in-process API and gRPC.
 */
import { compareBytes } from '../../../codec/bytes.ts';
import { quantityToBytes } from '../../../codec/quantity.ts';
import type { Address } from '../../../crypto/address.ts';
import type { StateReader } from '../../../state/api.ts';
import { StakingStateReader } from '../state.ts';
import {
  accountCodec,
  type DebondingDelegation,
  debondingDelegationCodec,
  delegationCodec,
  sharePoolCodec,
  type ThresholdKindValue,
} from './account.ts';
import { hexOf } from './address.ts';
import { StakingErrors } from './errors.ts';
import { stakingGenesisCodec } from './genesis.ts';
import { stakingParametersCodec } from './params.ts';

type Obj = Record<string, unknown>;

const reader = (state: StateReader) => new StakingStateReader(state);

const asObj = (cborReady: unknown): Obj => cborReady as Obj;

function groupDebonding(entries: Iterable<[Address, DebondingDelegation]>): Map<Uint8Array, Obj[]> {
  const groups = new Map<string, { key: Address; list: Obj[] }>();
  for (const [k, d] of entries) {
    const id = hexOf(k);
    let g = groups.get(id);
    if (g === undefined) {
      g = { key: k, list: [] };
      groups.set(id, g);
    }
    g.list.push(asObj(debondingDelegationCodec.encode(d)));
  }
  return new Map([...groups.values()].sort((a, b) => compareBytes(a.key, b.key)).map((g) => [g.key, g.list]));
}

/** The staking query methods, named as oasis-core's gRPC methods. */
export const StakingQueries = Object.freeze({
  tokenSymbol: (state: StateReader): string => reader(state).tokenInfo().symbol,
  tokenValueExponent: (state: StateReader): number => reader(state).tokenInfo().valueExponent,
  totalSupply: (state: StateReader) => quantityToBytes(reader(state).totalSupply()),
  commonPool: (state: StateReader) => quantityToBytes(reader(state).commonPool()),
  lastBlockFees: (state: StateReader) => quantityToBytes(reader(state).lastBlockFees()),
  governanceDeposits: (state: StateReader) => quantityToBytes(reader(state).governanceDeposits()),

  /** The amount of a threshold kind; staking/6 when the parameters do not define it. */
  threshold(state: StateReader, kind: ThresholdKindValue) {
    const v = reader(state).parameters().thresholds.get(kind);
    if (v === undefined) throw StakingErrors.invalidThreshold();
    return quantityToBytes(v);
  },

  addresses: (state: StateReader): Address[] => reader(state).addresses(),
  commissionScheduleAddresses: (state: StateReader): Address[] => reader(state).commissionScheduleAddresses(),
  account: (state: StateReader, owner: Address): Obj =>
    asObj(accountCodec.encode(reader(state).account(owner))),

  /** Delegations made by `owner`, keyed by escrow address. */
  delegationsFor(state: StateReader, owner: Address): Map<Uint8Array, Obj> {
    return new Map(
      [...reader(state).delegationsFor(owner)].map(([escrow, d]) => [
        escrow,
        asObj(delegationCodec.encode(d)),
      ]),
    );
  },

  /** Delegations made by `owner` with each escrow account's active pool. */
  delegationInfosFor(state: StateReader, owner: Address): Map<Uint8Array, Obj> {
    const r = reader(state);
    return new Map(
      [...r.delegationsFor(owner)].map(([escrow, d]) => [
        escrow,
        { ...asObj(delegationCodec.encode(d)), pool: sharePoolCodec.encode(r.account(escrow).escrow.active) },
      ]),
    );
  },

  /** Delegations to `escrow`, keyed by delegator. */
  delegationsTo(state: StateReader, escrow: Address): Map<Uint8Array, Obj> {
    return new Map(
      [...reader(state).delegationsTo(escrow)].map(([delegator, d]) => [
        delegator,
        asObj(delegationCodec.encode(d)),
      ]),
    );
  },

  /** Debonding delegations of `owner`, keyed by escrow address. */
  debondingDelegationsFor(state: StateReader, owner: Address): Map<Uint8Array, Obj[]> {
    return groupDebonding(
      [...reader(state).debondingDelegations(owner)].map(
        (e) => [e.escrow, e.delegation] as [Address, DebondingDelegation],
      ),
    );
  },

  /** Debonding delegations of `owner` with each escrow account's debonding pool, keyed by escrow. */
  debondingDelegationInfosFor(state: StateReader, owner: Address): Map<Uint8Array, Obj[]> {
    const r = reader(state);
    const grouped = groupDebonding(
      [...r.debondingDelegations(owner)].map(
        (e) => [e.escrow, e.delegation] as [Address, DebondingDelegation],
      ),
    );
    for (const [escrow, list] of grouped) {
      const pool = sharePoolCodec.encode(r.account(escrow).escrow.debonding);
      for (const item of list) item.pool = pool;
    }
    return grouped;
  },

  /** Debonding delegations from `escrow`, keyed by delegator. */
  debondingDelegationsTo(state: StateReader, escrow: Address): Map<Uint8Array, Obj[]> {
    const target = hexOf(escrow);
    const entries: Array<[Address, DebondingDelegation]> = [];
    for (const e of reader(state).debondingDelegations()) {
      if (hexOf(e.escrow) === target) entries.push([e.delegator, e.delegation]);
    }
    return groupDebonding(entries);
  },

  /** The allowance `owner` granted `beneficiary`. */
  allowance(state: StateReader, owner: Address, beneficiary: Address) {
    return quantityToBytes(reader(state).account(owner).general.allowances.get(hexOf(beneficiary)) ?? 0n);
  },

  consensusParameters: (state: StateReader): Obj =>
    asObj(stakingParametersCodec.encode(reader(state).parameters())),

  /** The staking genesis section that recreates this state. */
  stateToGenesis(state: StateReader): Obj {
    const r = reader(state);
    const token = r.tokenInfo();
    const ledger = new Map([...r.accounts()].map(([a, acct]) => [hexOf(a), acct]));
    const delegations = new Map<string, Map<string, { shares: bigint }>>();
    for (const [escrow, delegator, d] of r.allDelegations()) {
      const k = hexOf(escrow);
      if (!delegations.has(k)) delegations.set(k, new Map());
      delegations.get(k)!.set(hexOf(delegator), d);
    }
    const debonding = new Map<string, Map<string, DebondingDelegation[]>>();
    for (const e of r.debondingDelegations()) {
      const k = hexOf(e.escrow);
      if (!debonding.has(k)) debonding.set(k, new Map());
      const inner = debonding.get(k)!;
      const dk = hexOf(e.delegator);
      inner.set(dk, [...(inner.get(dk) ?? []), e.delegation]);
    }
    return asObj(
      stakingGenesisCodec.encode({
        params: r.parameters(),
        tokenSymbol: token.symbol,
        tokenValueExponent: token.valueExponent,
        totalSupply: r.totalSupply(),
        commonPool: r.commonPool(),
        lastBlockFees: r.lastBlockFees(),
        governanceDeposits: r.governanceDeposits(),
        ledger,
        delegations,
        debondingDelegations: debonding,
      }),
    );
  },
});
