/**
 * Lays out a local network in a directory: for each validator and each compute node an entity (key and
 * descriptor) and a node (identity keys, descriptor registered in genesis), deterministic funded test
 * accounts, optionally ParaTimes registered at genesis and served by the compute nodes, one genesis file,
 * one YAML config per node with every other node as a persistent peer, and `localnet.json` describing it
 * all. Test keys only.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { toHex } from '../codec/bytes.ts';
import { addressFromBech32, addressFromPublicKey, addressFromRuntimeId } from '../crypto/address.ts';
import type { MultiSigned, Signed } from '../crypto/signature.ts';
import { buildGenesis, type GenesisAccount } from '../genesis/builder.ts';
import { chainContextOf, writeGenesisFile } from '../genesis/document.ts';
import { keyManagerRuntimeDescriptor, localnetKeyManagerId } from '../runtime/node/descriptor.ts';
import type { ExecutorMode } from '../runtime/node/options.ts';
import { paraTime, paraTimeNames } from '../runtime/process/paratimes/catalog.ts';
import {
  freePort,
  type NodeKeys,
  newEntity,
  newNodeKeys,
  p2pAddressOf,
  signedNodeDescriptor,
} from './layout.ts';
import type { LocalnetManifest } from './manifest.ts';
import { writeNodeConfig } from './node_config.ts';
import {
  isEvm,
  type LocalnetParaTime,
  localnetParaTime,
  localnetRuntimeIndices,
  manifestRuntime,
  runtimeBalances,
  runtimeSettings,
} from './paratime.ts';
import { testAccount } from './test_accounts.ts';

export { freePort, peerIdOf } from './layout.ts';
export { LOCALNET_EVM_CHAIN_ID } from './paratime.ts';
export { testAccountSeed } from './test_accounts.ts';

/** What to lay out. */
export interface LocalnetSpec {
  dir: string;
  validators: number;
  /** Compute nodes serving the ParaTimes (each with its own entity); every one hosts all of them. */
  compute?: number;
  /** ParaTimes (catalog names) the compute nodes run, one runtime each; needed when `compute` > 0. */
  runtimes?: string[];
  /** One ParaTime: the same as `runtimes: [runtime]`. */
  runtime?: string;
  /** Blocks a runtime round may take before it fails (default: the descriptor's 5). */
  roundTimeout?: bigint;
  /** Executor behaviour by compute node index (default honest), e.g. `{1: 'dishonest'}`. */
  executorModes?: Partial<Record<number, ExecutorMode>>;
  /** Funded test accounts (besides entities and nodes), funded in the runtimes too. */
  accounts?: number;
  /** Blocks per epoch. */
  epochInterval?: number;
  /** Wait after each commit, milliseconds. */
  timeoutCommitMs?: number;
  /** Nodes check every service's state invariants after each block (`debug.sanity_checks`, default true). */
  sanityChecks?: boolean;
  /** Validators (by index) started with `debug.double_sign`. */
  byzantine?: number[];
  /** Non-validator nodes that follow the chain (not in genesis). */
  clients?: number;
  /** Validators admit only registered nodes and their persistent peers (default true). */
  registeredPeersOnly?: boolean;
  /** Epochs a node registration lasts (default: practically forever); nodes renew before expiry. */
  nodeExpiration?: bigint;
  /**
   * IPv4 address of each node (validators, then compute nodes, then clients), for nodes that run in network
   * namespaces of their own; default 127.0.0.1 for all.
   */
  hosts?: string[];
  /** Each node watches `<data dir>/p2p-faults.json` (see `P2pFaultFile`): link faults without namespaces. */
  p2pFaults?: boolean;
  /** Consensus checkpoint parameters (default oasis-core's: every 10,000 heights, 2 kept, 8 MiB chunks). */
  checkpoints?: { interval?: number; numKept?: number; chunkSize?: number };
}

const TOKEN = 10n ** 9n;
const FAR_EPOCH = 1_000_000n;
/** Name of a node's P2P fault file in its data directory (with `p2pFaults`). */
export const P2P_FAULT_FILE = 'p2p-faults.json';
/** What every test account holds, on consensus and in each runtime (in consensus base units). */
export const TEST_ACCOUNT_BALANCE = 1_000_000n * TOKEN;
/** Escrow a compute node's entity loses for wrong results (of the 100 000 TEST it stakes). */
export const RUNTIME_SLASH = 1_000n * TOKEN;
/** The ParaTimes a spec asks for (`runtimes`, or the one `runtime`). */
export function runtimeNames(spec: Pick<LocalnetSpec, 'runtime' | 'runtimes'>): string[] {
  if (spec.runtime !== undefined && spec.runtimes !== undefined)
    throw new Error('give either runtime or runtimes, not both');
  return spec.runtimes ?? (spec.runtime !== undefined ? [spec.runtime] : []);
}

/**
 * Refuses a compute/runtime combination that cannot make a working network, before anything is written:
 * compute nodes without a ParaTime, a ParaTime without compute nodes, a ParaTime not in the catalog or
 * named twice.
 */
export function checkComputeSpec(spec: Pick<LocalnetSpec, 'compute' | 'runtime' | 'runtimes'>): void {
  const compute = spec.compute ?? 0;
  const names = runtimeNames(spec);
  const known = `known: ${paraTimeNames().join(', ')}`;
  if (compute > 0 && names.length === 0)
    throw new Error(`--compute ${compute}: compute nodes need a ParaTime to run (--runtime; ${known})`);
  if (names.length === 0) return;
  for (const [i, name] of names.entries()) {
    if (!paraTimeNames().includes(name))
      throw new Error(`--runtime: unknown ParaTime ${JSON.stringify(name)} (${known})`);
    if (names.indexOf(name) !== i) throw new Error(`--runtime: ParaTime ${JSON.stringify(name)} named twice`);
  }
  if (compute === 0)
    throw new Error(`--runtime ${names.join(',')}: a ParaTime needs at least one compute node (--compute)`);
}

/** A node in genesis, with what it needs for its config. */
interface RegisteredNode extends NodeKeys {
  mode: 'validator' | 'compute' | 'keymanager';
  descriptor: MultiSigned;
  entity: Signed;
}

/** Creates every file of a new local network and returns its manifest. */
export async function prepareLocalnet(spec: LocalnetSpec): Promise<LocalnetManifest> {
  checkComputeSpec(spec);
  const dir = spec.dir;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const expiration = spec.nodeExpiration ?? FAR_EPOCH;
  let created = 0;
  const nextHost = () => spec.hosts?.[created++] ?? '127.0.0.1';
  const testAccounts = Array.from({ length: spec.accounts ?? 4 }, (_, i) => testAccount(i));
  const accounts: GenesisAccount[] = testAccounts.map((a) => ({
    address: addressFromBech32(a.address),
    general: TEST_ACCOUNT_BALANCE,
  }));

  const register = async (
    name: string,
    entityName: string,
    mode: RegisteredNode['mode'],
    runtimes: Uint8Array[] = [],
  ) => {
    const keys = await newNodeKeys(dir, name, nextHost());
    const entity = newEntity(dir, entityName, [keys]);
    const descriptor = signedNodeDescriptor(keys, {
      entityId: entity.key.publicKey,
      expiration,
      role: mode,
      runtimes,
    });
    accounts.push(
      {
        address: addressFromPublicKey(entity.key.publicKey),
        general: 1000n * TOKEN,
        escrow: (mode === 'validator' ? 1_000_000n : 100_000n) * TOKEN,
      },
      { address: addressFromPublicKey(keys.identity.node.publicKey), general: 1000n * TOKEN },
    );
    return { ...keys, mode, descriptor, entity: entity.descriptor, entityKey: entity.key };
  };

  const validators: RegisteredNode[] = [];
  let owner: Uint8Array | undefined;
  for (let i = 0; i < spec.validators; i++) {
    const v = await register(`validator-${i}`, `entity-${i}`, 'validator');
    owner ??= v.entityKey.publicKey;
    validators.push(v);
  }
  const compute = spec.compute ?? 0;
  const paraTimes: LocalnetParaTime[] = [];
  // Confidential ParaTimes get a key manager runtime, registered first (they name it), and its node.
  const confidential = runtimeNames(spec).filter((name) => paraTime(name).confidential === true);
  const keyManagerId = confidential.length > 0 ? localnetKeyManagerId() : undefined;
  const indices = localnetRuntimeIndices(runtimeNames(spec));
  for (const [position, name] of runtimeNames(spec).entries()) {
    const index = indices[position]!;
    if (owner === undefined) throw new Error('a runtime needs a validator entity to own it');
    const balances = runtimeBalances(name, testAccounts, TEST_ACCOUNT_BALANCE);
    const p = localnetParaTime({
      name,
      index,
      owner,
      computeNodes: compute,
      balances,
      settings: runtimeSettings(name),
      slashAmount: RUNTIME_SLASH,
      ...(spec.roundTimeout !== undefined ? { roundTimeout: spec.roundTimeout } : {}),
      ...(paraTime(name).confidential === true ? { keyManager: keyManagerId } : {}),
    });
    paraTimes.push(p);
    // The runtime's consensus account backs every token its genesis holds.
    const held = balances.reduce((sum, [, amount]) => sum + amount, 0n);
    accounts.push({
      address: addressFromRuntimeId(p.id),
      general: held / paraTime(name).consensusScalingFactor,
    });
  }
  const runtimeIds = paraTimes.map((p) => p.id);
  const computeNodes: RegisteredNode[] = [];
  for (let i = 0; i < compute; i++)
    computeNodes.push(await register(`compute-${i}`, `compute-${i}`, 'compute', runtimeIds));
  const keyManagers: RegisteredNode[] =
    keyManagerId !== undefined
      ? [await register('keymanager-0', 'keymanager-0', 'keymanager', [keyManagerId])]
      : [];
  const clients: NodeKeys[] = [];
  for (let i = 0; i < (spec.clients ?? 0); i++)
    clients.push(await newNodeKeys(dir, `client-${i}`, nextHost()));

  const registered = [...validators, ...computeNodes, ...keyManagers];
  const genesis = buildGenesis({
    chainId: `oasis-ts localnet ${Date.now()}`,
    time: Math.floor(Date.now() / 1000),
    entities: registered.map((n) => n.entity),
    nodes: registered.map((n) => n.descriptor),
    accounts,
    commonPool: 1_000_000n * TOKEN,
    epochInterval: spec.epochInterval ?? 20,
    timeoutCommitMs: spec.timeoutCommitMs ?? 1000,
    maxNodeExpiration: expiration,
    slashAmount: 100_000n * TOKEN,
    ...(spec.checkpoints ? { checkpoints: spec.checkpoints } : {}),
    ...(paraTimes.length > 0
      ? {
          runtimes: [
            ...(keyManagerId !== undefined && owner !== undefined
              ? [keyManagerRuntimeDescriptor(keyManagerId, owner)]
              : []),
            ...paraTimes.map((p) => p.descriptor),
          ],
        }
      : {}),
  });
  const genesisFile = join(dir, 'genesis.json');
  writeGenesisFile(genesisFile, genesis);

  const everyone = [...registered, ...clients.map((c) => ({ ...c, mode: 'client' as const }))];
  const peers = everyone.map(p2pAddressOf);
  // Compute nodes serve the EVM ParaTimes' JSON-RPC (one each, in order); the first validator the dashboard.
  const evms = paraTimes.filter((p) => isEvm(p.name)).slice(0, computeNodes.length);
  const web3s = await Promise.all(
    evms.map(async (p) => ({ runtime_id: toHex(p.id), listen_address: `127.0.0.1:${await freePort()}` })),
  );
  const dashboardAddress = `127.0.0.1:${await freePort()}`;
  const metricsPorts = await Promise.all(everyone.map(() => freePort()));
  return {
    chain_context: chainContextOf(genesis),
    genesis_file: genesisFile,
    dashboard: `http://${dashboardAddress}/`,
    nodes: everyone.map((n, i) => {
      const validatorIndex = validators.indexOf(n as RegisteredNode);
      const computeIndex = computeNodes.indexOf(n as RegisteredNode);
      const web3 = computeIndex >= 0 ? web3s[computeIndex] : undefined;
      const config = writeNodeConfig(n, {
        mode: n.mode === 'keymanager' ? 'client' : n.mode,
        genesisFile,
        persistentPeers: peers.filter((_, j) => j !== i),
        registeredOnly: n.mode === 'validator' && (spec.registeredPeersOnly ?? true),
        doubleSign: validatorIndex >= 0 && (spec.byzantine?.includes(validatorIndex) ?? false),
        sanityChecks: spec.sanityChecks ?? true,
        // Client nodes follow the runtimes too (not in committees): they keep their state and answer queries.
        runtimes: n.mode === 'compute' || n.mode === 'client' ? paraTimes.map((p) => p.nodeConfig) : [],
        executorMode: spec.executorModes?.[computeIndex] ?? 'honest',
        ...(web3 !== undefined ? { web3 } : {}),
        ...(n.mode === 'keymanager' && keyManagerId !== undefined
          ? {
              keyManager: {
                runtime_id: toHex(keyManagerId),
                may_query: paraTimes.filter((p) => confidential.includes(p.name)).map((p) => toHex(p.id)),
              },
            }
          : {}),
        ...(validatorIndex === 0 ? { dashboardAddress } : {}),
        metricsAddress: `127.0.0.1:${metricsPorts[i]}`,
        ...(spec.p2pFaults ? { p2pFaultFile: join(n.dataDir, P2P_FAULT_FILE) } : {}),
      });
      return {
        name: n.name,
        roles: [n.mode === 'client' ? 'observer' : n.mode],
        pid: 0,
        data_dir: n.dataDir,
        config,
        internal_socket: join(n.dataDir, 'internal.sock'),
        grpc_web: `http://${n.host}:${n.grpcWebPort}`,
        metrics: `http://127.0.0.1:${metricsPorts[i]}/metrics`,
        p2p_address: peers[i]!,
      };
    }),
    runtimes: paraTimes.map((p) => {
      const web3 = web3s.find((w) => w.runtime_id === toHex(p.id));
      return manifestRuntime(p, web3 !== undefined ? `http://${web3.listen_address}` : undefined);
    }),
    accounts: testAccounts,
  };
}
