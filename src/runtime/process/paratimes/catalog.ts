/**
 * The ParaTimes this node can host, by name: where each one's process starts, how its settings from the
 * node configuration become the `local_config` of the handshake, and what its genesis state is. Operator
 * tooling (localnet, runtime descriptors) and the node use the same functions, so the genesis state root
 * written into a runtime descriptor is the one every compute node computes.
 */
import { fileURLToPath } from 'node:url';
import { compareBytes, toHex } from '../../../codec/bytes.ts';
import type { CborValue } from '../../../codec/cbor.ts';
import { parseQuantity } from '../../../codec/quantity.ts';
import { addressFromBech32 } from '../../../crypto/address.ts';
import { CodecError } from '../../../errors.ts';
import type { WriteLogEntry } from '../../protocol/types.ts';
import { rootOfEntries } from '../../state/tree_store.ts';
import { accountsGenesis, decodeAccountsConfig, encodeAccountsConfig } from './accounts/genesis.ts';
import { ACCOUNTS_SCALING_FACTOR } from './accounts/params.ts';
import { oasisAddressOfEth, parseEthAddress } from './evm/address.ts';
import { decodeEvmConfig, encodeEvmConfig, evmGenesis } from './evm/genesis.ts';
import { EVM_SCALING_FACTOR } from './evm/params.ts';

/** A ParaTime implementation this node ships. */
export interface ParaTimeKind {
  name: string;
  /** Entry point of its process. */
  entry: string;
  /** The handshake's `local_config` from the node configuration's `config` (validated, coded errors). */
  localConfig(config: CborValue, path: string): CborValue;
  /** Genesis state writes for a `local_config`. */
  genesisWriteLog(localConfig: CborValue): WriteLogEntry[];
  /** An EVM ParaTime's Ethereum chain ID and per-block gas ceiling under a `local_config` (what JSON-RPC reports). */
  ethereum?(localConfig: CborValue): { chainId: bigint; maxBatchGas: bigint };
  /**
   * Runtime units per consensus base unit (runtime-sdk's `consensus_scaling_factor`): what a deposit of
   * one base unit credits, so genesis balances backed by consensus tokens are written in the right units.
   */
  consensusScalingFactor: bigint;
  /** Whether it needs a key manager (confidential calls and state). */
  confidential?: boolean;
}

function record(value: CborValue, path: string): Record<string, CborValue> {
  if (value === null || value === undefined) return {};
  if (
    typeof value !== 'object' ||
    Array.isArray(value) ||
    value instanceof Uint8Array ||
    value instanceof Map
  )
    throw new CodecError(path, 'expected a mapping');
  return value as Record<string, CborValue>;
}

/**
 * An amount in base units: a decimal string, or a number only while it is exact (YAML reads an unquoted
 * 12345678901234567890 as a float, which would silently change the amount).
 */
function amount(value: CborValue, path: string): bigint {
  if (typeof value === 'number' && !Number.isSafeInteger(value))
    throw new CodecError(path, `amount ${value} is not an exact integer; quote large amounts`);
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'bigint')
    throw new CodecError(path, 'expected an amount (a decimal string)');
  try {
    return parseQuantity(String(value));
  } catch (err) {
    throw new CodecError(path, (err as Error).message);
  }
}

/** `balances` as sorted address → amount pairs; an address written twice (bech32 ignores case) is refused. */
function balances(
  value: CborValue,
  path: string,
  parseAddress: (text: string) => Uint8Array = addressFromBech32,
): Array<[Uint8Array, bigint]> {
  const parsed = Object.entries(record(value, path)).map(([text, v]) => {
    let address: Uint8Array;
    try {
      address = parseAddress(text);
    } catch (err) {
      throw new CodecError(`${path}.${text}`, (err as Error).message);
    }
    return { text, address, amount: amount(v, `${path}.${text}`) };
  });
  const seen = new Map<string, string>();
  for (const { text, address } of parsed) {
    const first = seen.get(toHex(address));
    if (first !== undefined) throw new CodecError(`${path}.${text}`, `same address as ${first}`);
    seen.set(toHex(address), text);
  }
  return parsed
    .sort((a, b) => compareBytes(a.address, b.address))
    .map(({ address, amount }): [Uint8Array, bigint] => [address, amount]);
}

/**
 * The accounts ParaTime. Settings: `balances` (bech32 address → amount in base units) and
 * `min_gas_price`.
 */
const accounts: ParaTimeKind = {
  name: 'accounts',
  entry: fileURLToPath(new URL('./accounts/main.ts', import.meta.url)),
  localConfig(config, path) {
    const c = record(config, path);
    for (const key of Object.keys(c))
      if (key !== 'balances' && key !== 'min_gas_price')
        throw new CodecError(`${path}.${key}`, 'unknown setting');
    return encodeAccountsConfig({
      balances: balances(c.balances ?? null, `${path}.balances`),
      ...(c.min_gas_price !== undefined
        ? { minGasPrice: amount(c.min_gas_price, `${path}.min_gas_price`) }
        : {}),
    });
  },
  genesisWriteLog: (localConfig) => accountsGenesis(decodeAccountsConfig(localConfig)),
  consensusScalingFactor: ACCOUNTS_SCALING_FACTOR,
};

/** A runtime-sdk address from `oasis1…`, or an Ethereum account's from `0x…`. */
const evmBalanceAddress = (text: string): Uint8Array =>
  text.startsWith('0x') ? oasisAddressOfEth(parseEthAddress(text)) : addressFromBech32(text);

const EVM_SETTINGS = ['balances', 'min_gas_price', 'chain_id', 'max_batch_gas', 'max_ephemeral_key_age'];

/**
 * The EVM ParaTime. Settings: `balances` (bech32 or `0x…` Ethereum address → amount in wei, 18 decimals),
 * `min_gas_price`, `chain_id` (default 42260), `max_batch_gas` (default 15,000,000) and, for the
 * confidential EVM, `max_ephemeral_key_age` (epochs; default 5).
 */
const evm: ParaTimeKind = {
  name: 'evm',
  entry: fileURLToPath(new URL('./evm/main.ts', import.meta.url)),
  localConfig(config, path) {
    const c = record(config, path);
    for (const key of Object.keys(c))
      if (!EVM_SETTINGS.includes(key)) throw new CodecError(`${path}.${key}`, 'unknown setting');
    const optionalAmount = (key: string): bigint | undefined =>
      c[key] !== undefined ? amount(c[key], `${path}.${key}`) : undefined;
    const minGasPrice = optionalAmount('min_gas_price');
    const chainId = optionalAmount('chain_id');
    const maxBatchGas = optionalAmount('max_batch_gas');
    const maxEphemeralKeyAge = optionalAmount('max_ephemeral_key_age');
    return encodeEvmConfig({
      ...(maxEphemeralKeyAge !== undefined ? { maxEphemeralKeyAge } : {}),
      balances: balances(c.balances ?? null, `${path}.balances`, evmBalanceAddress),
      ...(minGasPrice !== undefined ? { minGasPrice } : {}),
      ...(chainId !== undefined ? { chainId } : {}),
      ...(maxBatchGas !== undefined ? { maxBatchGas } : {}),
    });
  },
  genesisWriteLog: (localConfig) => evmGenesis(decodeEvmConfig(localConfig)),
  ethereum(localConfig) {
    const { chainId, maxBatchGas } = decodeEvmConfig(localConfig);
    return { chainId, maxBatchGas };
  },
  consensusScalingFactor: EVM_SCALING_FACTOR,
};

/** Sapphire's local-network chain ID (0x5afd). */
export const SAPPHIRE_LOCALNET_CHAIN_ID = 23293n;

/**
 * The confidential EVM ParaTime (Sapphire-compatible): the EVM's settings, `chain_id` defaulting to
 * Sapphire localnet's 0x5afd. Its runtime descriptor must name a key manager, whose nodes serve its keys.
 */
const sapphire: ParaTimeKind = {
  ...evm,
  name: 'sapphire',
  entry: fileURLToPath(new URL('./sapphire/main.ts', import.meta.url)),
  localConfig(config, path) {
    const c = record(config, path);
    return evm.localConfig({ chain_id: SAPPHIRE_LOCALNET_CHAIN_ID.toString(), ...c }, path);
  },
  confidential: true,
};

const CATALOG: ReadonlyMap<string, ParaTimeKind> = new Map([
  [accounts.name, accounts],
  [evm.name, evm],
  [sapphire.name, sapphire],
]);

/** Names of the ParaTimes on offer. */
export function paraTimeNames(): string[] {
  return [...CATALOG.keys()];
}

/** The ParaTime called `name`; a coded error naming the choices otherwise. */
export function paraTime(name: string): ParaTimeKind {
  const kind = CATALOG.get(name);
  if (kind === undefined)
    throw new CodecError(
      'paratime',
      `unknown ParaTime ${JSON.stringify(name)} (known: ${paraTimeNames().join(', ')})`,
    );
  return kind;
}

/** The genesis state root a ParaTime has under a `local_config` (what its runtime descriptor names). */
export function genesisStateRoot(kind: ParaTimeKind, localConfig: CborValue): Uint8Array {
  return rootOfEntries(kind.genesisWriteLog(localConfig));
}
