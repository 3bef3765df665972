/**
 * The ParaTimes this node can host, by name: where each one's process starts, how its settings from the
 * node configuration become the `local_config` of the handshake, and what its genesis state is. Operator
 * tooling (localnet, runtime descriptors) and the node use the same functions, so the genesis state root
 * written into a runtime descriptor is the one every compute node computes.
 */
import { fileURLToPath } from 'node:url';
import type { CborValue } from '../../codec/cbor.ts';
import { parseQuantity } from '../../codec/quantity.ts';
import { addressFromBech32 } from '../../crypto/address.ts';
import { EMPTY_HASH } from '../../crypto/hash.ts';
import { CodecError } from '../../errors.ts';
import type { WriteLogEntry } from '../protocol/types.ts';
import { MemoryTreeStore } from '../state/tree_store.ts';
import { accountsGenesis, decodeAccountsConfig, encodeAccountsConfig } from './accounts/genesis.ts';

/** A ParaTime implementation this node ships. */
export interface ParaTimeKind {
  name: string;
  /** Entry point of its process. */
  entry: string;
  /** The handshake's `local_config` from the node configuration's `config` (validated, coded errors). */
  localConfig(config: CborValue, path: string): CborValue;
  /** Genesis state writes for a `local_config`. */
  genesisWriteLog(localConfig: CborValue): WriteLogEntry[];
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

function amount(value: CborValue, path: string): bigint {
  try {
    return parseQuantity(
      typeof value === 'number' || typeof value === 'bigint' ? String(value) : (value as string),
    );
  } catch (err) {
    throw new CodecError(path, (err as Error).message);
  }
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
    const balances: Array<[Uint8Array, bigint]> = Object.entries(
      record(c.balances ?? null, `${path}.balances`),
    )
      .map(([address, value]): [Uint8Array, bigint] => {
        try {
          return [addressFromBech32(address), amount(value, `${path}.balances.${address}`)];
        } catch (err) {
          if (err instanceof CodecError) throw err;
          throw new CodecError(`${path}.balances.${address}`, (err as Error).message);
        }
      })
      .sort(([a], [b]) => Buffer.compare(a, b));
    return encodeAccountsConfig({
      balances,
      ...(c.min_gas_price !== undefined
        ? { minGasPrice: amount(c.min_gas_price, `${path}.min_gas_price`) }
        : {}),
    });
  },
  genesisWriteLog: (localConfig) => accountsGenesis(decodeAccountsConfig(localConfig)),
};

const CATALOG: ReadonlyMap<string, ParaTimeKind> = new Map([[accounts.name, accounts]]);

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
  return new MemoryTreeStore().apply(EMPTY_HASH, kind.genesisWriteLog(localConfig));
}
