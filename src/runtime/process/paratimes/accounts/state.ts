/**
 * The accounts ledger over the key-value state: per-address nonces, per-address per-denomination
 * balances and per-denomination total supply, under runtime-sdk's key layout (`"accounts" || sub-prefix
 * || …`). Every mutation checks before it writes, so a failed transfer leaves the state as it was.
 */
import { bytesEqual, concatBytes, utf8 } from '../../../../codec/bytes.ts';
import { decodeCanonical, encodeCanonical } from '../../../../codec/cbor.ts';
import { quantityFromBytes, quantityToBytes } from '../../../../codec/quantity.ts';
import { u64 } from '../../../../codec/schema.ts';
import { ADDRESS_SIZE } from '../../../../crypto/address.ts';
import { CodedError } from '../../../../errors.ts';
import type { StateReader, StateWriter } from '../../../../state/api.ts';
import { ACCOUNTS_MODULE, AccountsErrorCode } from './params.ts';

const MODULE_PREFIX = utf8(ACCOUNTS_MODULE);
const NONCES = 0x01;
const BALANCES = 0x02;
const TOTAL_SUPPLIES = 0x03;

function key(sub: number, ...parts: Uint8Array[]): Uint8Array {
  return concatBytes(MODULE_PREFIX, Uint8Array.of(sub), ...parts);
}

/** Key of an address's nonce. */
export const nonceKey = (address: Uint8Array): Uint8Array => key(NONCES, address);
/** Key of an address's balance in one denomination. */
export const balanceKey = (address: Uint8Array, denomination: Uint8Array): Uint8Array =>
  key(BALANCES, address, denomination);
/** Prefix of all of an address's balances. */
export const balancesPrefix = (address: Uint8Array): Uint8Array => key(BALANCES, address);
/** Key of a denomination's total supply. */
export const totalSupplyKey = (denomination: Uint8Array): Uint8Array => key(TOTAL_SUPPLIES, denomination);

function readQuantity(state: StateReader, k: Uint8Array): bigint {
  const v = state.get(k);
  return v === undefined ? 0n : quantityFromBytes(v);
}

function writeQuantity(state: StateWriter, k: Uint8Array, value: bigint): void {
  if (value === 0n) state.remove(k);
  else state.set(k, quantityToBytes(value));
}

/** Reads of the ledger. */
export function getNonce(state: StateReader, address: Uint8Array): bigint {
  const v = state.get(nonceKey(address));
  return v === undefined ? 0n : u64(decodeCanonical(v), 'nonce');
}

/** Sets a nonce. */
export function setNonce(state: StateWriter, address: Uint8Array, nonce: bigint): void {
  state.set(nonceKey(address), encodeCanonical(nonce));
}

/** Balance of `address` in `denomination`. */
export function getBalance(state: StateReader, address: Uint8Array, denomination: Uint8Array): bigint {
  return readQuantity(state, balanceKey(address, denomination));
}

/** Every non-zero balance of `address`, by denomination in ascending order. */
export function getBalances(state: StateReader, address: Uint8Array): Array<[Uint8Array, bigint]> {
  const prefix = balancesPrefix(address);
  const out: Array<[Uint8Array, bigint]> = [];
  for (const [k, v] of state.entries(prefix)) out.push([k.subarray(prefix.length), quantityFromBytes(v)]);
  return out;
}

/** Every address holding a non-zero balance of `denomination`, in ascending order. */
export function getAddresses(state: StateReader, denomination: Uint8Array): Uint8Array[] {
  const prefix = key(BALANCES);
  const out: Uint8Array[] = [];
  for (const [k] of state.entries(prefix)) {
    const rest = k.subarray(prefix.length);
    if (
      rest.length === ADDRESS_SIZE + denomination.length &&
      bytesEqual(rest.subarray(ADDRESS_SIZE), denomination)
    ) {
      out.push(rest.slice(0, ADDRESS_SIZE));
    }
  }
  return out;
}

/** Total supply of a denomination. */
export function getTotalSupply(state: StateReader, denomination: Uint8Array): bigint {
  return readQuantity(state, totalSupplyKey(denomination));
}

/** Removes `amount` from `address`; throws accounts/2 (changing nothing) when the balance is short. */
export function debit(
  state: StateWriter,
  address: Uint8Array,
  denomination: Uint8Array,
  amount: bigint,
  error: () => CodedError = () =>
    new CodedError(ACCOUNTS_MODULE, AccountsErrorCode.insufficientBalance, 'insufficient balance'),
): void {
  const balance = getBalance(state, address, denomination);
  if (balance < amount) throw error();
  writeQuantity(state, balanceKey(address, denomination), balance - amount);
}

/** Adds `amount` to `address`. */
export function credit(
  state: StateWriter,
  address: Uint8Array,
  denomination: Uint8Array,
  amount: bigint,
): void {
  if (amount === 0n) return;
  writeQuantity(state, balanceKey(address, denomination), getBalance(state, address, denomination) + amount);
}

/** Moves `amount` between addresses (a no-op for a self transfer beyond the balance check). */
export function transfer(
  state: StateWriter,
  from: Uint8Array,
  to: Uint8Array,
  denomination: Uint8Array,
  amount: bigint,
): void {
  debit(state, from, denomination, amount);
  credit(state, to, denomination, amount);
}

/** Creates tokens (deposits from the consensus layer, genesis). */
export function mint(state: StateWriter, to: Uint8Array, denomination: Uint8Array, amount: bigint): void {
  credit(state, to, denomination, amount);
  writeQuantity(state, totalSupplyKey(denomination), getTotalSupply(state, denomination) + amount);
}

/** Destroys tokens held by `from` (withdrawals to the consensus layer); throws when the balance is short. */
export function burn(
  state: StateWriter,
  from: Uint8Array,
  denomination: Uint8Array,
  amount: bigint,
  error?: () => CodedError,
): void {
  debit(state, from, denomination, amount, error);
  writeQuantity(state, totalSupplyKey(denomination), getTotalSupply(state, denomination) - amount);
}
