/**
 * Ethereum addresses in Oasis: an account's 20-byte Ethereum address maps to the 21-byte runtime-sdk
 * address of its `secp256k1eth` signer (`0x00 || SHA-512/256("oasis-runtime-sdk/address: secp256k1eth" ||
 * 0x00 || eth address)[..20]`), the address `@oasisprotocol/client-rt` computes. Declared here, below both
 * the EVM ParaTime (which keeps balances and nonces under it) and the node's Ethereum JSON-RPC endpoint
 * (which reads them).
 */
import { keccak_256 } from '@noble/hashes/sha3.js';
import { fromHex } from '../codec/bytes.ts';
import { type Address, newAddress } from './address.ts';

/** Address context of Ethereum-compatible accounts (client-rt `V0_SECP256K1ETH_CONTEXT_IDENTIFIER`). */
export const SECP256K1ETH_CONTEXT = 'oasis-runtime-sdk/address: secp256k1eth';

/** Size of an Ethereum address. */
export const ETH_ADDRESS_SIZE = 20;

/** The runtime-sdk address of an Ethereum address. */
export function oasisAddressOfEth(ethAddress: Uint8Array): Address {
  if (ethAddress.length !== ETH_ADDRESS_SIZE) throw new Error('an Ethereum address has 20 bytes');
  return newAddress(SECP256K1ETH_CONTEXT, ethAddress);
}

/** The Ethereum address of an uncompressed secp256k1 public key (65 bytes with the 0x04 prefix, or 64). */
export function ethAddressOfPublicKey(uncompressed: Uint8Array): Uint8Array {
  const body = uncompressed.length === 65 ? uncompressed.subarray(1) : uncompressed;
  if (body.length !== 64) throw new Error('expected an uncompressed secp256k1 public key');
  return keccak_256(body).slice(12);
}

/** Parses `0x` + 40 hex digits (any case). */
export function parseEthAddress(text: string): Uint8Array {
  if (!/^0x[0-9a-fA-F]{40}$/.test(text)) throw new Error(`invalid Ethereum address ${JSON.stringify(text)}`);
  return fromHex(text.slice(2).toLowerCase());
}
