/**
 * Address helpers for the staking service: a 21-byte address codec, map keys, and the reserved-address
 * test oasis-core applies (`Address.IsReserved`: common pool, fee accumulator, governance deposits, burn).
 */
import { fromHex, toHex } from '../../../codec/bytes.ts';
import { bytes, type Decoder } from '../../../codec/schema.ts';
import { ADDRESS_SIZE, type Address, ReservedAddresses } from '../../../crypto/address.ts';

/** Strict decoder of a 21-byte address. */
export const addressDecoder: Decoder<Address> = bytes(ADDRESS_SIZE);

/** Hex form of an address, used as a Map key (and sorting like the bytes). */
export type AddressHex = string;

/** The map key of an address. */
export const hexOf = (address: Address): AddressHex => toHex(address);

/** The address of a map key. */
export const addressOfHex = (hex: AddressHex): Address => fromHex(hex);

const RESERVED = new Set(Object.values(ReservedAddresses).map(hexOf));

/** True for addresses no key controls (they can never sign, send or be delegated to). */
export function isReserved(address: Address): boolean {
  return RESERVED.has(hexOf(address));
}

/** Byte-wise comparison of hex keys (same order as the addresses' bytes). */
export function compareHex(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
