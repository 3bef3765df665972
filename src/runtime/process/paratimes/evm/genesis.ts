/**
 * Genesis and settings of the EVM ParaTime: the accounts module's settings (`balances`, `min_gas_price`)
 * plus the Ethereum `chain_id` and the `max_batch_gas` ceiling, from the handshake's `local_config`. The
 * genesis state is the accounts module's (balances of runtime-sdk addresses; an Ethereum account's is its
 * `secp256k1eth` address), a pure function of the config, so the host computes the same root.
 */
import type { CborValue } from '../../../../codec/cbor.ts';
import { mapEntries, u64 } from '../../../../codec/schema.ts';
import type { WriteLogEntry } from '../../../protocol/types.ts';
import {
  type AccountsConfig,
  accountsGenesis,
  decodeAccountsConfig,
  encodeAccountsConfig,
} from '../accounts/genesis.ts';
import { DEFAULT_CHAIN_ID, DEFAULT_MAX_BATCH_GAS } from './params.ts';

/** Runtime configuration from `local_config`. */
export interface EvmConfig extends AccountsConfig {
  /** Ethereum chain ID (EIP-155), also `CHAINID`. */
  chainId: bigint;
  /** Most gas per batch and per transaction, also `GASLIMIT`. */
  maxBatchGas: bigint;
  /**
   * Confidential EVM: how many epochs back an encrypted call's key may be (runtime-sdk's 5). Local networks
   * with epochs of seconds raise it, since clients keep a fetched key for minutes.
   */
  maxEphemeralKeyAge?: bigint;
}

/** Decodes `local_config` (absent = defaults: no balances, free gas, chain 42260). */
export function decodeEvmConfig(value: CborValue | undefined): EvmConfig {
  let chainId = DEFAULT_CHAIN_ID;
  let maxBatchGas = DEFAULT_MAX_BATCH_GAS;
  let maxEphemeralKeyAge: bigint | undefined;
  const rest: Record<string, CborValue> = {};
  if (value !== undefined && value !== null) {
    for (const [k, v] of mapEntries(value, 'local_config')) {
      if (k === 'chain_id') chainId = u64(v, 'local_config.chain_id');
      else if (k === 'max_batch_gas') maxBatchGas = u64(v, 'local_config.max_batch_gas');
      else if (k === 'max_ephemeral_key_age')
        maxEphemeralKeyAge = u64(v, 'local_config.max_ephemeral_key_age');
      else rest[String(k)] = v;
    }
  }
  return {
    ...decodeAccountsConfig(rest),
    chainId,
    maxBatchGas,
    ...(maxEphemeralKeyAge !== undefined ? { maxEphemeralKeyAge } : {}),
  };
}

/** The CBOR `local_config` of a config. */
export function encodeEvmConfig(config: Partial<EvmConfig>): CborValue {
  const out = encodeAccountsConfig(config) as Record<string, CborValue>;
  if (config.chainId !== undefined) out.chain_id = config.chainId;
  if (config.maxBatchGas !== undefined) out.max_batch_gas = config.maxBatchGas;
  if (config.maxEphemeralKeyAge !== undefined) out.max_ephemeral_key_age = config.maxEphemeralKeyAge;
  return out;
}

/** The genesis state writes, sorted by key. */
export function evmGenesis(config: EvmConfig): WriteLogEntry[] {
  return accountsGenesis(config);
}
