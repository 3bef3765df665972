/**
 * Lays out a local network in a directory: for each validator and each compute node an entity (key and
 * descriptor) and a node (identity keys, descriptor registered in genesis), deterministic funded test
 * accounts, optionally a ParaTime registered at genesis and served by the compute nodes, one genesis file,
 * one YAML config per node with every other node as a persistent peer, and `localnet.json` describing it
 * all. Test keys only.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { toHex, utf8 } from '../codec/bytes.ts';
import { addressFromPublicKey, addressFromRuntimeId, addressToBech32 } from '../crypto/address.ts';
import { Ed25519KeyPair } from '../crypto/ed25519.ts';
import { sha512_256 } from '../crypto/hash.ts';
import type { MultiSigned, Signed } from '../crypto/signature.ts';
import { buildGenesis, type GenesisAccount } from '../genesis/builder.ts';
import { chainContextOf, writeGenesisFile } from '../genesis/document.ts';
import type { ExecutorMode } from '../runtime/node/options.ts';
import { paraTimeNames } from '../runtime/process/paratimes/catalog.ts';
import { type NodeKeys, newEntity, newNodeKeys, p2pAddressOf, signedNodeDescriptor } from './layout.ts';
import type { LocalnetManifest } from './manifest.ts';
import { writeNodeConfig } from './node_config.ts';
import { type LocalnetParaTime, localnetParaTime } from './paratime.ts';

export { freePort, peerIdOf } from './layout.ts';

/** What to lay out. */
export interface LocalnetSpec {
  dir: string;
  validators: number;
  /** Compute nodes serving `runtime` (each with its own entity). */
  compute?: number;
  /** ParaTime (catalog name) the compute nodes run; required when `compute` > 0. */
  runtime?: string;
  /** Blocks a runtime round may take before it fails (default: the descriptor's 5). */
  roundTimeout?: bigint;
  /** Executor behaviour by compute node index (default honest), e.g. `{1: 'dishonest'}`. */
  executorModes?: Partial<Record<number, ExecutorMode>>;
  /** Funded test accounts (besides entities and nodes), funded in the runtime too. */
  accounts?: number;
  /** Blocks per epoch. */
  epochInterval?: number;
  /** Wait after each commit, milliseconds. */
  timeoutCommitMs?: number;
  /** Validators (by index) started with `debug.double_sign`. */
  byzantine?: number[];
  /** Non-validator nodes that follow the chain (not in genesis). */
  clients?: number;
  /** Validators admit only registered nodes and their persistent peers (default true). */
  registeredPeersOnly?: boolean;
  /** Epochs a node registration lasts (default: practically forever); nodes renew before expiry. */
  nodeExpiration?: bigint;
}

const TOKEN = 10n ** 9n;
const FAR_EPOCH = 1_000_000n;
/** What every test account holds, on consensus and in the runtime. */
const TEST_ACCOUNT_BALANCE = 1_000_000n * TOKEN;
/** Escrow a compute node's entity loses for wrong results (of the 100 000 TEST it stakes). */
export const RUNTIME_SLASH = 1_000n * TOKEN;

/** Seeds of the deterministic test accounts (the same on every machine: never use them for value). */
export function testAccountSeed(index: number): Uint8Array {
  return sha512_256(utf8(`oasis-ts localnet test account ${index}`));
}

/**
 * Refuses a compute/runtime combination that cannot make a working network, before anything is written:
 * compute nodes without a ParaTime, a ParaTime without compute nodes, a ParaTime not in the catalog.
 */
export function checkComputeSpec(spec: Pick<LocalnetSpec, 'compute' | 'runtime'>): void {
  const compute = spec.compute ?? 0;
  const known = `known: ${paraTimeNames().join(', ')}`;
  if (compute > 0 && spec.runtime === undefined)
    throw new Error(`--compute ${compute}: compute nodes need a ParaTime to run (--runtime; ${known})`);
  if (spec.runtime === undefined) return;
  if (!paraTimeNames().includes(spec.runtime))
    throw new Error(`--runtime: unknown ParaTime ${JSON.stringify(spec.runtime)} (${known})`);
  if (compute === 0)
    throw new Error(`--runtime ${spec.runtime}: a ParaTime needs at least one compute node (--compute)`);
}

/** A node in genesis, with what it needs for its config. */
interface RegisteredNode extends NodeKeys {
  mode: 'validator' | 'compute';
  descriptor: MultiSigned;
  entity: Signed;
}

/** Creates every file of a new local network and returns its manifest. */
export async function prepareLocalnet(spec: LocalnetSpec): Promise<LocalnetManifest> {
  checkComputeSpec(spec);
  const dir = spec.dir;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const expiration = spec.nodeExpiration ?? FAR_EPOCH;
  const accounts: GenesisAccount[] = [];
  const testAccounts = Array.from({ length: spec.accounts ?? 4 }, (_, i) => {
    const address = addressFromPublicKey(Ed25519KeyPair.fromSeed(testAccountSeed(i)).publicKey);
    accounts.push({ address, general: TEST_ACCOUNT_BALANCE });
    return { address: addressToBech32(address), seed_hex: toHex(testAccountSeed(i)) };
  });

  const register = async (
    name: string,
    entityName: string,
    mode: RegisteredNode['mode'],
    rt?: Uint8Array,
  ) => {
    const keys = await newNodeKeys(dir, name);
    const entity = newEntity(dir, entityName, [keys]);
    const descriptor = signedNodeDescriptor(keys, {
      entityId: entity.key.publicKey,
      expiration,
      role: mode,
      ...(rt !== undefined ? { runtimes: [rt] } : {}),
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
  let paraTime: LocalnetParaTime | undefined;
  if (compute > 0) {
    if (owner === undefined) throw new Error('a runtime needs a validator entity to own it');
    paraTime = localnetParaTime({
      name: spec.runtime!,
      index: 0,
      owner,
      computeNodes: compute,
      balances: testAccounts.map((a) => [a.address, TEST_ACCOUNT_BALANCE]),
      slashAmount: RUNTIME_SLASH,
      ...(spec.roundTimeout !== undefined ? { roundTimeout: spec.roundTimeout } : {}),
    });
    accounts.push({ address: addressFromRuntimeId(paraTime.id), general: TEST_ACCOUNT_BALANCE });
  }
  const computeNodes: RegisteredNode[] = [];
  for (let i = 0; i < compute; i++)
    computeNodes.push(await register(`compute-${i}`, `compute-${i}`, 'compute', paraTime!.id));
  const clients: NodeKeys[] = [];
  for (let i = 0; i < (spec.clients ?? 0); i++) clients.push(await newNodeKeys(dir, `client-${i}`));

  const registered = [...validators, ...computeNodes];
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
    ...(paraTime !== undefined ? { runtimes: [paraTime.descriptor] } : {}),
  });
  const genesisFile = join(dir, 'genesis.json');
  writeGenesisFile(genesisFile, genesis);

  const everyone = [...registered, ...clients.map((c) => ({ ...c, mode: 'client' as const }))];
  const peers = everyone.map(p2pAddressOf);
  return {
    chain_context: chainContextOf(genesis),
    genesis_file: genesisFile,
    nodes: everyone.map((n, i) => {
      const validatorIndex = validators.indexOf(n as RegisteredNode);
      const computeIndex = computeNodes.indexOf(n as RegisteredNode);
      const config = writeNodeConfig(n, {
        mode: n.mode,
        genesisFile,
        persistentPeers: peers.filter((_, j) => j !== i),
        registeredOnly: n.mode === 'validator' && (spec.registeredPeersOnly ?? true),
        doubleSign: validatorIndex >= 0 && (spec.byzantine?.includes(validatorIndex) ?? false),
        // Client nodes follow the runtime too (not in committees): they keep its state and answer queries.
        runtimes: n.mode !== 'validator' && paraTime !== undefined ? [paraTime.nodeConfig] : [],
        executorMode: spec.executorModes?.[computeIndex] ?? 'honest',
      });
      return {
        name: n.name,
        roles: [n.mode === 'client' ? 'observer' : n.mode],
        pid: 0,
        data_dir: n.dataDir,
        config,
        internal_socket: join(n.dataDir, 'internal.sock'),
        grpc_web: `http://127.0.0.1:${n.grpcWebPort}`,
        p2p_address: peers[i]!,
      };
    }),
    runtimes: paraTime !== undefined ? [{ id: toHex(paraTime.id), name: paraTime.name }] : [],
    accounts: testAccounts,
  };
}
