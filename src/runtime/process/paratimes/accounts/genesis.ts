/**
 * Genesis of the accounts ParaTime: initial balances (and the gas price floor) come in the handshake's
 * `local_config`, and the genesis state is a pure function of it, so the host (or the operator tooling
 * writing the runtime descriptor's genesis state root) computes the same root the runtime does.
 */
import type { CborValue } from '../../../../codec/cbor.ts';
import { quantity, quantityToBytes } from '../../../../codec/quantity.ts';
import { arrayOf, bytes, type Decoder, optional, struct } from '../../../../codec/schema.ts';
import { ADDRESS_SIZE } from '../../../../crypto/address.ts';
import { CodecError } from '../../../../errors.ts';
import { memoryState } from '../../../../state/overlay.ts';
import type { WriteLogEntry } from '../../../protocol/types.ts';
import { NATIVE_DENOMINATION } from './params.ts';
import { mint } from './state.ts';

/** Runtime configuration from `local_config`. */
export interface AccountsConfig {
  /** Native-denomination balances at genesis. */
  balances: Array<[Uint8Array, bigint]>;
  /** Lowest accepted fee per unit of gas (native). */
  minGasPrice: bigint;
}

const pair: Decoder<[Uint8Array, bigint]> = (value, path) => {
  if (!Array.isArray(value) || value.length !== 2) throw new CodecError(path, 'expected [address, amount]');
  return [bytes(ADDRESS_SIZE)(value[0]!, `${path}[0]`), quantity(value[1]!, `${path}[1]`)];
};

const configDecoder = struct({ balances: optional(arrayOf(pair)), min_gas_price: optional(quantity) });

/** Decodes `local_config` (absent = no balances, free gas). */
export function decodeAccountsConfig(value: CborValue | undefined): AccountsConfig {
  if (value === undefined || value === null) return { balances: [], minGasPrice: 0n };
  const c = configDecoder(value, 'local_config');
  return { balances: c.balances ?? [], minGasPrice: c.min_gas_price ?? 0n };
}

/** The CBOR `local_config` for a config (what a host passes in the handshake). */
export function encodeAccountsConfig(config: Partial<AccountsConfig>): CborValue {
  const out: Record<string, CborValue> = {};
  if (config.balances) out.balances = config.balances.map(([a, q]) => [a, quantityToBytes(q)]);
  if (config.minGasPrice !== undefined) out.min_gas_price = quantityToBytes(config.minGasPrice);
  return out;
}

/** The genesis state writes, sorted by key. */
export function accountsGenesis(config: AccountsConfig): WriteLogEntry[] {
  const state = memoryState();
  for (const [address, amount] of config.balances) mint(state, address, NATIVE_DENOMINATION, amount);
  return state.writes();
}
