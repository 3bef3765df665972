/**
 * The funded test accounts of a local network: each has an Ed25519 seed (a consensus and runtime-sdk
 * account) and a secp256k1 key (an Ethereum account in the EVM ParaTime), both derived from the account's
 * index, so they are the same on every machine — as `hardhat node` prints the same funded keys every
 * time. They are public test keys: never use them for value.
 */
import { bytesToHex, privateToAddress, toChecksumAddress } from '@ethereumjs/util';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { toHex, utf8 } from '../codec/bytes.ts';
import { addressFromPublicKey, addressToBech32 } from '../crypto/address.ts';
import { Ed25519KeyPair } from '../crypto/ed25519.ts';
import { sha512_256 } from '../crypto/hash.ts';

/** One test account as `localnet.json` lists it. */
export interface LocalnetAccount {
  /** Consensus (and runtime-sdk) address of the Ed25519 key, `oasis1…`. */
  address: string;
  seed_hex: string;
  /** The Ethereum account's private key, `0x` + 64 hex digits. */
  eth_private_key: string;
  /** Its Ethereum address (EIP-55 checksummed). */
  eth_address: string;
}

/** Seeds of the deterministic test accounts (the same on every machine: never use them for value). */
export function testAccountSeed(index: number): Uint8Array {
  return sha512_256(utf8(`oasis-ts localnet test account ${index}`));
}

/**
 * The secp256k1 private key of test account `index`'s Ethereum account. A hash is a valid key unless it
 * is zero or not below the group order (odds about 2^-128); such an index is refused rather than skipped,
 * so the indices of the accounts never shift.
 */
export function testAccountEthKey(index: number): Uint8Array {
  const key = sha512_256(utf8(`oasis-ts localnet test ethereum account ${index}`));
  if (!secp256k1.utils.isValidSecretKey(key))
    throw new Error(`test account ${index}: the derived Ethereum key is not a valid secp256k1 key`);
  return key;
}

/** Test account `index`: its keys and addresses. */
export function testAccount(index: number): LocalnetAccount {
  const seed = testAccountSeed(index);
  const ethKey = testAccountEthKey(index);
  return {
    address: addressToBech32(addressFromPublicKey(Ed25519KeyPair.fromSeed(seed).publicKey)),
    seed_hex: toHex(seed),
    eth_private_key: bytesToHex(ethKey),
    eth_address: toChecksumAddress(bytesToHex(privateToAddress(ethKey))),
  };
}
