/**
 * A ParaTime a local network hosts: its test runtime ID, the `runtimes` entry every compute node's
 * configuration carries, and the registry descriptor whose genesis state root is computed from exactly
 * that entry (through the ParaTime catalog, as each compute node computes it), so the roothash's genesis
 * block and the nodes' genesis state agree; plus what a local network puts in it (funded test accounts in
 * the ParaTime's units, the EVM's chain ID) and lists of it in `localnet.json`.
 */
import { toHex } from '../codec/bytes.ts';
import type { CborValue } from '../codec/cbor.ts';
import { localnetRuntimeId, paraTimeRuntimeDescriptor } from '../runtime/node/descriptor.ts';
import type { RuntimeConfig } from '../runtime/node/options.ts';
import {
  genesisStateRoot,
  paraTime,
  SAPPHIRE_LOCALNET_CHAIN_ID,
} from '../runtime/process/paratimes/catalog.ts';
import type { Runtime } from '../services/registry/api/runtime.ts';
import type { LocalnetRuntime } from './manifest.ts';
import type { LocalnetAccount } from './test_accounts.ts';

/** A runtime of a local network. */
export interface LocalnetParaTime {
  /** The ParaTime's catalog name. */
  name: string;
  id: Uint8Array;
  /** The entry of each compute node's `runtimes` configuration. */
  nodeConfig: RuntimeConfig;
  descriptor: Runtime;
}

/** What the runtime is made of. */
export interface LocalnetParaTimeSpec {
  /** Catalog name (`paraTimeNames()`); an unknown one is refused, naming the known ones. */
  name: string;
  /** Which of the network's runtimes (its ID's index). */
  index: number;
  /** Owning entity's public key (its escrow must cover the runtime's stake claim). */
  owner: Uint8Array;
  computeNodes: number;
  /** Runtime balances at genesis: address (as the ParaTime's `balances` setting takes it) → runtime units. */
  balances: ReadonlyArray<[string, bigint]>;
  /** Further settings of the ParaTime (e.g. the EVM's `chain_id`), as in a node's configuration. */
  settings?: Record<string, CborValue>;
  /** Escrow slashed for wrong results or equivocation. */
  slashAmount: bigint;
  /** Blocks a round may take (default: the descriptor's). */
  roundTimeout?: bigint;
  /** The key manager runtime (confidential ParaTimes). */
  keyManager?: Uint8Array;
}

/** Lays out the runtime; the genesis state root is the one the ParaTime derives from `nodeConfig`. */
export function localnetParaTime(spec: LocalnetParaTimeSpec): LocalnetParaTime {
  const kind = paraTime(spec.name);
  const id = localnetRuntimeId(spec.index);
  const config: CborValue = {
    ...spec.settings,
    balances: Object.fromEntries(spec.balances.map(([address, amount]) => [address, amount.toString()])),
  };
  const nodeConfig: RuntimeConfig = { id: toHex(id), paratime: kind.name, config };
  const root = genesisStateRoot(kind, kind.localConfig(config, `runtimes[${spec.name}].config`));
  return {
    name: kind.name,
    id,
    nodeConfig,
    descriptor: paraTimeRuntimeDescriptor({
      id,
      owner: spec.owner,
      genesisStateRoot: root,
      computeNodes: spec.computeNodes,
      slashAmount: spec.slashAmount,
      ...(spec.roundTimeout !== undefined ? { roundTimeout: spec.roundTimeout } : {}),
      ...(spec.keyManager !== undefined ? { keyManager: spec.keyManager } : {}),
    }),
  };
}

/** Ethereum chain ID of a local network's EVM ParaTime (Emerald's localnet, 0xa514). */
export const LOCALNET_EVM_CHAIN_ID = 42260n;

/**
 * Genesis balances of a ParaTime: every test account's Ed25519 address and, in the EVM ParaTime, its
 * Ethereum address, each holding `consensusAmount` (base units) in the ParaTime's own units.
 */
export function runtimeBalances(
  name: string,
  accounts: LocalnetAccount[],
  consensusAmount: bigint,
): Array<[string, bigint]> {
  const amount = consensusAmount * paraTime(name).consensusScalingFactor;
  return accounts.flatMap(
    (a): Array<[string, bigint]> =>
      isEvm(name)
        ? [
            [a.address, amount],
            [a.eth_address, amount],
          ]
        : [[a.address, amount]],
  );
}

/** The ParaTime that takes runtime ID `80…00` whenever it runs: sapphire-localnet's runtime ID for Sapphire. */
const FIRST_ID_PARATIME = 'sapphire';

/**
 * The runtime ID index of each of `names` (in order): `sapphire` gets 0 (`80…00`, as sapphire-localnet and
 * sapphire-paratime's `networks.ts` have it), the others 0, 1, … in the order given over the indices left.
 */
export function localnetRuntimeIndices(names: readonly string[]): number[] {
  const first = names.includes(FIRST_ID_PARATIME);
  let next = first ? 1 : 0;
  return names.map((name) => (name === FIRST_ID_PARATIME ? 0 : next++));
}

/** Whether a ParaTime is one of the EVMs (plain or confidential). */
export function isEvm(name: string): boolean {
  return paraTime(name).ethereum !== undefined;
}

/** A local network's Ethereum chain ID of an EVM ParaTime (Emerald's or Sapphire's localnet). */
export function localnetChainId(name: string): bigint {
  return name === 'sapphire' ? SAPPHIRE_LOCALNET_CHAIN_ID : LOCALNET_EVM_CHAIN_ID;
}

/**
 * Epochs back a local network's confidential EVM accepts a call-data key: its epochs last seconds, while
 * sapphire-paratime keeps a fetched key for 5 minutes (sapphire-localnet instead never advances epochs).
 */
export const LOCALNET_MAX_EPHEMERAL_KEY_AGE = 1000n;

/** The ParaTime-specific settings a local network gives (an EVM's chain ID; the confidential EVM's key age). */
export function runtimeSettings(name: string): Record<string, string> {
  if (!isEvm(name)) return {};
  return {
    chain_id: localnetChainId(name).toString(),
    ...(paraTime(name).confidential === true
      ? { max_ephemeral_key_age: LOCALNET_MAX_EPHEMERAL_KEY_AGE.toString() }
      : {}),
  };
}

/** The manifest entry of a runtime; `web3` is the JSON-RPC URL of the node serving an EVM ParaTime. */
export function manifestRuntime(p: LocalnetParaTime, web3?: string): LocalnetRuntime {
  return {
    id: toHex(p.id),
    name: p.name,
    ...(isEvm(p.name) ? { chain_id: Number(localnetChainId(p.name)) } : {}),
    ...(web3 !== undefined ? { web3 } : {}),
  };
}
