/**
 * Staking addresses: 21 bytes = version byte || first 20 bytes of SHA-512/256(context || version || data),
 * shown as bech32 (BIP-173) with HRP `oasis`. Account, runtime and module addresses differ only in context.
 */
import { bech32 } from '@scure/base';
import { bytesKey, concatBytes, toHex, utf8 } from '../codec/bytes.ts';
import { bytes as bytesDecoder } from '../codec/schema.ts';
import type { Codec } from '../codec/typed.ts';
import { CodecError } from '../errors.ts';
import { sha512_256 } from './hash.ts';

/** Address size in bytes. */
export const ADDRESS_SIZE = 21;
/** bech32 human-readable part. */
export const ADDRESS_HRP = 'oasis';
const ADDRESS_VERSION = 0;

/** A 21-byte staking address. */
export type Address = Uint8Array;

/** Address context identifiers, as oasis-core names them. */
export const AddressContexts = Object.freeze({
  staking: 'oasis-core/address: staking',
  runtime: 'oasis-core/address: runtime',
  module: 'oasis-core/address: module',
});

/** Derives an address from a context identifier and data. */
export function newAddress(context: string, data: Uint8Array, version = ADDRESS_VERSION): Address {
  const v = Uint8Array.of(version);
  return concatBytes(v, sha512_256(utf8(context), v, data).subarray(0, 20));
}

/**
 * Addresses of recently seen public keys. A transaction's signer address is needed in every pass over it
 * (admission, re-check, proposal check, execution) and a hash each time was ~5 % of a validator's busy
 * time under load; the cache is cleared when full, so it stays small whatever the key churn.
 */
const recentAddresses = new Map<string, Address>();
const RECENT_ADDRESSES_MAX = 16_384;

/** The staking account address of an Ed25519 public key. */
export function addressFromPublicKey(publicKey: Uint8Array): Address {
  const id = bytesKey(publicKey);
  let address = recentAddresses.get(id);
  if (address === undefined) {
    address = newAddress(AddressContexts.staking, publicKey);
    if (recentAddresses.size >= RECENT_ADDRESSES_MAX) recentAddresses.clear();
    recentAddresses.set(id, address);
  }
  // A copy: callers own what they are handed.
  return address.slice();
}

/** The staking account address of a runtime (its 32-byte ID). */
export function addressFromRuntimeId(runtimeId: Uint8Array): Address {
  return newAddress(AddressContexts.runtime, runtimeId);
}

/** The address of a module-owned account, e.g. ("vault", "deposits"). */
export function addressFromModule(module: string, kind: string): Address {
  return newAddress(AddressContexts.module, utf8(`${module}.${kind}`));
}

/** bech32 text form (`oasis1…`). */
export function addressToBech32(address: Address): string {
  return bech32.encode(ADDRESS_HRP, bech32.toWords(address));
}

/** Parses `oasis1…`; throws on a wrong HRP, checksum or length. */
export function addressFromBech32(text: string): Address {
  let decoded: { prefix: string; words: number[] };
  try {
    decoded = bech32.decode(text as `${string}1${string}`);
  } catch (err) {
    throw new Error(`invalid address ${JSON.stringify(text)}: ${(err as Error).message}`);
  }
  if (decoded.prefix !== ADDRESS_HRP)
    throw new Error(`invalid address ${JSON.stringify(text)}: prefix is not "${ADDRESS_HRP}"`);
  const bytes = bech32.fromWords(decoded.words);
  if (bytes.length !== ADDRESS_SIZE)
    throw new Error(`invalid address ${JSON.stringify(text)}: not ${ADDRESS_SIZE} bytes`);
  return bytes;
}

/** Hex of an address, usable as a Map key. */
export function addressKey(address: Address): string {
  return toHex(address);
}

const COMMON_POOL_PUBLIC_KEY = '1abe11edc001ffffffffffffffffffffffffffffffffffffffffffffffffffff';
const FEE_ACCUMULATOR_PUBLIC_KEY = '1abe11edfeeaccffffffffffffffffffffffffffffffffffffffffffffffffff';
const GOVERNANCE_DEPOSITS_PUBLIC_KEY = '1abe11eddeaccfffffffffffffffffffffffffffffffffffffffffffffffffff';

/** Reserved addresses that no key controls. */
export const ReservedAddresses = Object.freeze({
  /** Rewards come from it and slashed stake goes to it. */
  commonPool: addressFromPublicKey(Buffer.from(COMMON_POOL_PUBLIC_KEY, 'hex')),
  /** Collects the fees of a block before they are split. */
  feeAccumulator: addressFromPublicKey(Buffer.from(FEE_ACCUMULATOR_PUBLIC_KEY, 'hex')),
  /** Holds governance proposal deposits. */
  governanceDeposits: addressFromPublicKey(Buffer.from(GOVERNANCE_DEPOSITS_PUBLIC_KEY, 'hex')),
  /** Transfers here are burns (oasis1qzq8u7xs328puu2jy524w3fygzs63rv3u5967970). */
  burn: addressFromBech32('oasis1qzq8u7xs328puu2jy524w3fygzs63rv3u5967970'),
});

/** The public keys behind reserved addresses; a transaction signed by one is refused. */
export const RESERVED_PUBLIC_KEYS: readonly string[] = Object.freeze([
  COMMON_POOL_PUBLIC_KEY,
  FEE_ACCUMULATOR_PUBLIC_KEY,
  GOVERNANCE_DEPOSITS_PUBLIC_KEY,
]);

/** Staking address as a two-way codec: CBOR 21 bytes, JSON bech32 `oasis1…` (genesis, descriptors). */
export const addressCodec: Codec<Uint8Array> = {
  decode: bytesDecoder(21),
  encode: (v) => v,
  fromJson: (v, p) => {
    if (typeof v !== 'string') throw new CodecError(p, 'expected a bech32 address string');
    try {
      return addressFromBech32(v);
    } catch (err) {
      throw new CodecError(p, (err as Error).message);
    }
  },
  toJson: (v) => addressToBech32(v),
  isEmpty: () => false,
};
