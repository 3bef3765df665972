/**
 * Lays out a local network in a directory: for each validator an entity (key and descriptor) and a node
 * (identity keys, descriptor), deterministic funded test accounts, one genesis file, one YAML config per
 * node with every other node as a persistent peer, and `localnet.json` describing it all. Test keys only.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { publicKeyFromRaw } from '@libp2p/crypto/keys';
import { peerIdFromPublicKey } from '@libp2p/peer-id';
import { stringify as toYaml } from 'yaml';
import { toHex, utf8 } from '../codec/bytes.ts';
import { addressFromPublicKey, addressToBech32 } from '../crypto/address.ts';
import { Ed25519KeyPair } from '../crypto/ed25519.ts';
import { sha512_256 } from '../crypto/hash.ts';
import { generateRoleKey } from '../crypto/signer/file_signer.ts';
import { generateNodeIdentity } from '../crypto/signer/node_identity.ts';
import { buildGenesis } from '../genesis/builder.ts';
import { chainContextOf, writeGenesisFile } from '../genesis/document.ts';
import { ENTITY_DESCRIPTOR_VERSION, signEntity } from '../services/registry/api/entity.ts';
import { NODE_DESCRIPTOR_VERSION, NodeRoles, signNode } from '../services/registry/api/node.ts';
import type { LocalnetManifest } from './manifest.ts';

/** What to lay out. */
export interface LocalnetSpec {
  dir: string;
  validators: number;
  /** Funded test accounts (besides entities and nodes). */
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

/** Seeds of the deterministic test accounts (the same on every machine: never use them for value). */
export function testAccountSeed(index: number): Uint8Array {
  return sha512_256(utf8(`oasis-ts localnet test account ${index}`));
}

/** A free TCP port on 127.0.0.1 (bound and released, so it is free at least for now). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The libp2p peer id of an Ed25519 P2P public key. */
export function peerIdOf(p2pPublicKey: Uint8Array): string {
  return peerIdFromPublicKey(publicKeyFromRaw(p2pPublicKey)).toString();
}

/** Creates every file of a new local network and returns its manifest. */
export async function prepareLocalnet(spec: LocalnetSpec): Promise<LocalnetManifest> {
  const dir = spec.dir;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const nodes = [];
  const entities = [];
  const accounts = [];
  for (let i = 0; i < spec.validators; i++) {
    const name = `validator-${i}`;
    const entityDir = join(dir, 'entities', `entity-${i}`);
    const entityKey = generateRoleKey(entityDir, 'entity');
    const dataDir = join(dir, 'nodes', name);
    const identity = generateNodeIdentity(dataDir);
    const p2pPort = await freePort();
    const grpcWebPort = await freePort();
    const localhost = { ip: Uint8Array.of(127, 0, 0, 1), port: p2pPort, zone: '' };
    const descriptor = signNode(identity, {
      v: NODE_DESCRIPTOR_VERSION,
      id: identity.node.publicKey,
      entityId: entityKey.publicKey,
      expiration: spec.nodeExpiration ?? FAR_EPOCH,
      tls: { pubKey: identity.tls.publicKey },
      p2p: { id: identity.p2p.publicKey, addresses: [localhost] },
      consensus: {
        id: identity.consensus.publicKey,
        addresses: [{ id: identity.p2p.publicKey, address: localhost }],
      },
      vrf: { id: identity.vrf.publicKey },
      runtimes: [],
      roles: NodeRoles.validator,
    });
    entities.push(
      signEntity(entityKey, {
        v: ENTITY_DESCRIPTOR_VERSION,
        id: entityKey.publicKey,
        nodes: [identity.node.publicKey],
      }),
    );
    accounts.push(
      {
        address: addressFromPublicKey(entityKey.publicKey),
        general: 1000n * TOKEN,
        escrow: 1_000_000n * TOKEN,
      },
      { address: addressFromPublicKey(identity.node.publicKey), general: 1000n * TOKEN },
    );
    nodes.push({ name, dataDir, identity, descriptor, p2pPort, grpcWebPort });
  }
  const clients = [];
  for (let i = 0; i < (spec.clients ?? 0); i++) {
    const dataDir = join(dir, 'nodes', `client-${i}`);
    const identity = generateNodeIdentity(dataDir);
    clients.push({
      name: `client-${i}`,
      dataDir,
      identity,
      p2pPort: await freePort(),
      grpcWebPort: await freePort(),
    });
  }
  const testAccounts = Array.from({ length: spec.accounts ?? 4 }, (_, i) => {
    const key = Ed25519KeyPair.fromSeed(testAccountSeed(i));
    accounts.push({ address: addressFromPublicKey(key.publicKey), general: 1_000_000n * TOKEN });
    return {
      address: addressToBech32(addressFromPublicKey(key.publicKey)),
      seed_hex: toHex(testAccountSeed(i)),
    };
  });
  const genesis = buildGenesis({
    chainId: `oasis-ts localnet ${Date.now()}`,
    time: Math.floor(Date.now() / 1000),
    entities,
    nodes: nodes.map((n) => n.descriptor),
    accounts,
    commonPool: 1_000_000n * TOKEN,
    epochInterval: spec.epochInterval ?? 20,
    timeoutCommitMs: spec.timeoutCommitMs ?? 1000,
    maxNodeExpiration: spec.nodeExpiration ?? FAR_EPOCH,
    slashAmount: 100_000n * TOKEN,
  });
  const genesisFile = join(dir, 'genesis.json');
  writeGenesisFile(genesisFile, genesis);
  const everyone = [
    ...nodes.map((n) => ({ ...n, mode: 'validator' as const })),
    ...clients.map((c) => ({ ...c, mode: 'client' as const })),
  ];
  const peers = everyone.map(
    (n) => `/ip4/127.0.0.1/tcp/${n.p2pPort}/p2p/${peerIdOf(n.identity.p2p.publicKey)}`,
  );
  const manifest: LocalnetManifest = {
    chain_context: chainContextOf(genesis),
    genesis_file: genesisFile,
    nodes: everyone.map((n, i) => {
      const config = join(n.dataDir, 'config.yml');
      writeFileSync(
        config,
        toYaml({
          mode: n.mode,
          common: { data_dir: n.dataDir, log: { level: 'info' } },
          genesis: { file: genesisFile },
          p2p: {
            host: '127.0.0.1',
            port: n.p2pPort,
            persistent_peers: peers.filter((_, j) => j !== i),
            registered_only: n.mode === 'validator' && (spec.registeredPeersOnly ?? true),
          },
          grpc_web: { address: `127.0.0.1:${n.grpcWebPort}` },
          debug: { double_sign: spec.byzantine?.includes(i) ?? false, sanity_checks: true },
        }),
        { mode: 0o600 },
      );
      return {
        name: n.name,
        roles: [n.mode === 'validator' ? 'validator' : 'observer'],
        pid: 0,
        data_dir: n.dataDir,
        config,
        internal_socket: join(n.dataDir, 'internal.sock'),
        grpc_web: `http://127.0.0.1:${n.grpcWebPort}`,
        p2p_address: peers[i]!,
      };
    }),
    accounts: testAccounts,
  };
  return manifest;
}
