/**
 * Typed access to the staking part of consensus state, laid out under oasis-core's key prefixes
 * (0x50–0x5B): accounts, supply figures, delegations (+ reverse index), debonding delegations and their
 * queue, parameters, epoch-signing tally and the commission-schedule index.
 */
import { bytesEqual, u64be } from '../../codec/bytes.ts';
import { decodeOwnCanonical, encodeCanonical } from '../../codec/cbor.ts';
import { quantity, quantityToBytes } from '../../codec/quantity.ts';
import { struct, text, u64 } from '../../codec/schema.ts';
import type { Address } from '../../crypto/address.ts';
import type { StateReader, StateWriter } from '../../state/api.ts';
import { KeyPrefix, makeKey } from '../../state/keys.ts';
import {
  type Account,
  accountCodec,
  type DebondingDelegation,
  type Delegation,
  debondingDelegationCodec,
  delegationCodec,
  emptyAccount,
  encodeAccount,
} from './api/account.ts';
import { type StakingParameters, stakingParametersCodec } from './api/params.ts';

const ADDR = 21;
const EMPTY = new Uint8Array(0);
const TOKEN_INFO_SUFFIX = Uint8Array.of(0x01);

const key = (prefix: number, ...parts: Uint8Array[]) => makeKey(prefix, ...parts);

/**
 * Last decoded parameters, keyed by their encoding: parameters change rarely and are read by every
 * transaction. Callers must treat the returned object as read-only.
 */
let paramsCache: { raw: Uint8Array; params: StakingParameters } | undefined;

/** Token ticker and value exponent from genesis (served by TokenSymbol / TokenValueExponent). */
export interface TokenInfo {
  symbol: string;
  valueExponent: number;
}

/** A debonding delegation together with where it sits in the queue. */
export interface DebondingEntry {
  delegator: Address;
  escrow: Address;
  delegation: DebondingDelegation;
}

/** Read-only staking state. */
export class StakingStateReader {
  constructor(readonly state: StateReader) {}

  #quantityAt(prefix: number): bigint {
    const v = this.state.get(key(prefix));
    return v === undefined ? 0n : quantity(decodeOwnCanonical(v), 'quantity');
  }

  /** The account at `address` (an empty account when absent). */
  account(address: Address): Account {
    const v = this.state.get(key(KeyPrefix.stakingAccount, address));
    return v === undefined ? emptyAccount() : accountCodec.decode(decodeOwnCanonical(v), 'account');
  }

  /** Every address with an account, ascending. */
  addresses(): Address[] {
    const out: Address[] = [];
    for (const [k] of this.state.entries(key(KeyPrefix.stakingAccount))) out.push(k.subarray(1, 1 + ADDR));
    return out;
  }

  /** Every account, ascending by address. */
  *accounts(): Iterable<[Address, Account]> {
    for (const [k, v] of this.state.entries(key(KeyPrefix.stakingAccount))) {
      yield [k.subarray(1, 1 + ADDR), accountCodec.decode(decodeOwnCanonical(v), 'account')];
    }
  }

  totalSupply(): bigint {
    return this.#quantityAt(KeyPrefix.stakingTotalSupply);
  }
  commonPool(): bigint {
    return this.#quantityAt(KeyPrefix.stakingCommonPool);
  }
  lastBlockFees(): bigint {
    return this.#quantityAt(KeyPrefix.stakingLastBlockFees);
  }
  governanceDeposits(): bigint {
    return this.#quantityAt(KeyPrefix.stakingGovernanceDeposits);
  }

  /** Staking parameters; throws when genesis has not stored them. */
  parameters(): StakingParameters {
    const v = this.state.get(key(KeyPrefix.stakingParameters));
    if (v === undefined) throw new Error('staking: consensus parameters not initialized');
    if (paramsCache !== undefined && bytesEqual(paramsCache.raw, v)) return paramsCache.params;
    const params = stakingParametersCodec.decode(decodeOwnCanonical(v), 'params');
    paramsCache = { raw: v, params };
    return params;
  }

  /** Token info stored at genesis. */
  tokenInfo(): TokenInfo {
    const v = this.state.get(key(KeyPrefix.stakingParameters, TOKEN_INFO_SUFFIX));
    if (v === undefined) throw new Error('staking: token info not initialized');
    const d = struct({ symbol: text, value_exponent: u64 })(decodeOwnCanonical(v), 'token');
    return { symbol: d.symbol, valueExponent: Number(d.value_exponent) };
  }

  /** The delegation of `delegator` to `escrow` (zero shares when absent). */
  delegation(delegator: Address, escrow: Address): Delegation {
    const v = this.state.get(key(KeyPrefix.stakingDelegation, escrow, delegator));
    return v === undefined ? { shares: 0n } : delegationCodec.decode(decodeOwnCanonical(v), 'delegation');
  }

  /** Delegations to `escrow`, by delegator, ascending. */
  *delegationsTo(escrow: Address): Iterable<[Address, Delegation]> {
    for (const [k, v] of this.state.entries(key(KeyPrefix.stakingDelegation, escrow))) {
      yield [k.subarray(1 + ADDR, 1 + 2 * ADDR), delegationCodec.decode(decodeOwnCanonical(v), 'delegation')];
    }
  }

  /** Delegations made by `delegator`, by escrow account, ascending. */
  *delegationsFor(delegator: Address): Iterable<[Address, Delegation]> {
    for (const [k, v] of this.state.entries(key(KeyPrefix.stakingReverseDelegation, delegator))) {
      yield [k.subarray(1 + ADDR, 1 + 2 * ADDR), delegationCodec.decode(decodeOwnCanonical(v), 'delegation')];
    }
  }

  /** Every delegation as (escrow, delegator, delegation), ascending. */
  *allDelegations(): Iterable<[Address, Address, Delegation]> {
    for (const [k, v] of this.state.entries(key(KeyPrefix.stakingDelegation))) {
      const d = delegationCodec.decode(decodeOwnCanonical(v), 'delegation');
      yield [k.subarray(1, 1 + ADDR), k.subarray(1 + ADDR, 1 + 2 * ADDR), d];
    }
  }

  /** The debonding delegation of `delegator` from `escrow` ending at `endEpoch`, if any. */
  debondingDelegation(
    delegator: Address,
    escrow: Address,
    endEpoch: bigint,
  ): DebondingDelegation | undefined {
    const v = this.state.get(key(KeyPrefix.stakingDebondingDelegation, delegator, escrow, u64be(endEpoch)));
    return v === undefined
      ? undefined
      : debondingDelegationCodec.decode(decodeOwnCanonical(v), 'debonding_delegation');
  }

  /** Every debonding delegation (optionally only those of one delegator), ascending by key. */
  *debondingDelegations(delegator?: Address): Iterable<DebondingEntry> {
    const prefix =
      delegator === undefined
        ? key(KeyPrefix.stakingDebondingDelegation)
        : key(KeyPrefix.stakingDebondingDelegation, delegator);
    for (const [k, v] of this.state.entries(prefix)) {
      yield {
        delegator: k.subarray(1, 1 + ADDR),
        escrow: k.subarray(1 + ADDR, 1 + 2 * ADDR),
        delegation: debondingDelegationCodec.decode(decodeOwnCanonical(v), 'debonding_delegation'),
      };
    }
  }

  /** Queue entries whose end epoch is ≤ `epoch`, in queue order (epoch, delegator, escrow). */
  expiredDebondingQueue(epoch: bigint): DebondingEntry[] {
    const out: DebondingEntry[] = [];
    for (const [k] of this.state.entries(key(KeyPrefix.stakingDebondingQueue))) {
      const end = Buffer.from(k.subarray(1, 9)).readBigUInt64BE();
      if (end > epoch) break;
      const delegator = k.subarray(9, 9 + ADDR);
      const escrow = k.subarray(9 + ADDR, 9 + 2 * ADDR);
      const delegation = this.debondingDelegation(delegator, escrow, end);
      if (delegation !== undefined) out.push({ delegator, escrow, delegation });
    }
    return out;
  }

  /** Addresses with a non-empty commission schedule, ascending. */
  commissionScheduleAddresses(): Address[] {
    const out: Address[] = [];
    for (const [k] of this.state.entries(key(KeyPrefix.stakingCommissionScheduleAddresses))) {
      out.push(k.subarray(1, 1 + ADDR));
    }
    return out;
  }

  /** Raw epoch-signing tally value (decoded by `signing.ts`). */
  epochSigningRaw(): Uint8Array | undefined {
    return this.state.get(key(KeyPrefix.stakingEpochSigning));
  }
}

/** Read-write staking state. */
export class StakingState extends StakingStateReader {
  declare readonly state: StateWriter;

  constructor(state: StateWriter) {
    super(state);
  }

  #setQuantity(prefix: number, v: bigint): void {
    this.state.set(key(prefix), encodeCanonical(quantityToBytes(v)));
  }

  /** Stores an account and keeps the commission-schedule index in step. */
  setAccount(address: Address, account: Account): void {
    this.state.set(key(KeyPrefix.stakingAccount, address), encodeAccount(account));
    const csKey = key(KeyPrefix.stakingCommissionScheduleAddresses, address);
    const cs = account.escrow.commissionSchedule;
    const indexed = this.state.get(csKey) !== undefined;
    const hasSchedule = cs.rates.length > 0 || cs.bounds.length > 0;
    // Touch the index only when membership changes: most account writes never have a schedule.
    if (hasSchedule && !indexed) this.state.set(csKey, EMPTY);
    else if (!hasSchedule && indexed) this.state.remove(csKey);
  }

  setTotalSupply(v: bigint): void {
    this.#setQuantity(KeyPrefix.stakingTotalSupply, v);
  }
  setCommonPool(v: bigint): void {
    this.#setQuantity(KeyPrefix.stakingCommonPool, v);
  }
  setLastBlockFees(v: bigint): void {
    this.#setQuantity(KeyPrefix.stakingLastBlockFees, v);
  }
  setGovernanceDeposits(v: bigint): void {
    this.#setQuantity(KeyPrefix.stakingGovernanceDeposits, v);
  }

  setParameters(p: StakingParameters): void {
    this.state.set(key(KeyPrefix.stakingParameters), encodeCanonical(stakingParametersCodec.encode(p)));
  }

  setTokenInfo(t: TokenInfo): void {
    this.state.set(
      key(KeyPrefix.stakingParameters, TOKEN_INFO_SUFFIX),
      encodeCanonical({ symbol: t.symbol, value_exponent: t.valueExponent }),
    );
  }

  /** Stores a delegation (and its reverse index); zero shares removes both. */
  setDelegation(delegator: Address, escrow: Address, d: Delegation): void {
    const fwd = key(KeyPrefix.stakingDelegation, escrow, delegator);
    const rev = key(KeyPrefix.stakingReverseDelegation, delegator, escrow);
    if (d.shares === 0n) {
      this.state.remove(fwd);
      this.state.remove(rev);
      return;
    }
    const v = encodeCanonical(delegationCodec.encode(d));
    this.state.set(fwd, v);
    this.state.set(rev, v);
  }

  /** Adds a debonding delegation, merging with one of the same end epoch, and queues it. */
  addDebondingDelegation(delegator: Address, escrow: Address, d: DebondingDelegation): void {
    const end = u64be(d.debondEndTime);
    const existing = this.debondingDelegation(delegator, escrow, d.debondEndTime);
    const merged = { shares: d.shares + (existing?.shares ?? 0n), debondEndTime: d.debondEndTime };
    this.state.set(key(KeyPrefix.stakingDebondingQueue, end, delegator, escrow), EMPTY);
    this.state.set(
      key(KeyPrefix.stakingDebondingDelegation, delegator, escrow, end),
      encodeCanonical(debondingDelegationCodec.encode(merged)),
    );
  }

  /** Removes a debonding delegation and its queue entry. */
  removeDebondingDelegation(delegator: Address, escrow: Address, endEpoch: bigint): void {
    const end = u64be(endEpoch);
    this.state.remove(key(KeyPrefix.stakingDebondingQueue, end, delegator, escrow));
    this.state.remove(key(KeyPrefix.stakingDebondingDelegation, delegator, escrow, end));
  }

  setEpochSigningRaw(v: Uint8Array | undefined): void {
    const k = key(KeyPrefix.stakingEpochSigning);
    if (v === undefined) this.state.remove(k);
    else this.state.set(k, v);
  }
}
