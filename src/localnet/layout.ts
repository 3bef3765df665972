/**
 * Building blocks of a local network's directory: a node's keys and ports, its signed registry descriptor
 * (validator or compute worker), and an entity vouching for its nodes. `prepareLocalnet` composes them;
 * every key here is a test key written in the network's directory.
 */
import { createServer } from 'node:net';
import { join } from 'node:path';
import { publicKeyFromRaw } from '@libp2p/crypto/keys';
import { peerIdFromPublicKey } from '@libp2p/peer-id';
import type { Ed25519KeyPair } from '../crypto/ed25519.ts';
import type { MultiSigned, Signed } from '../crypto/signature.ts';
import { generateRoleKey } from '../crypto/signer/file_signer.ts';
import { generateNodeIdentity, type NodeIdentity } from '../crypto/signer/node_identity.ts';
import { PARATIME_VERSION } from '../runtime/node/descriptor.ts';
import { ENTITY_DESCRIPTOR_VERSION, signEntity } from '../services/registry/api/entity.ts';
import { NODE_DESCRIPTOR_VERSION, NodeRoles, signNode } from '../services/registry/api/node.ts';

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

/** A node's directory, keys and local ports. */
export interface NodeKeys {
  name: string;
  dataDir: string;
  identity: NodeIdentity;
  p2pPort: number;
  grpcWebPort: number;
  /** IPv4 address its P2P and gRPC-web listen on (127.0.0.1 unless it runs in its own network namespace). */
  host: string;
}

/** Generates a node's identity in `<dir>/nodes/<name>` and picks its ports. */
export async function newNodeKeys(dir: string, name: string, host = '127.0.0.1'): Promise<NodeKeys> {
  const dataDir = join(dir, 'nodes', name);
  const identity = generateNodeIdentity(dataDir);
  return { name, dataDir, identity, p2pPort: await freePort(), grpcWebPort: await freePort(), host };
}

/** The multiaddr other nodes dial to reach `node`. */
export function p2pAddressOf(node: NodeKeys): string {
  return `/ip4/${node.host}/tcp/${node.p2pPort}/p2p/${peerIdOf(node.identity.p2p.publicKey)}`;
}

/** What a node registers as. */
export interface Registration {
  entityId: Uint8Array;
  expiration: bigint;
  /**
   * `validator` joins consensus; `compute` serves `runtimes` in executor committees; `keymanager` serves the
   * key manager runtime in `runtimes`.
   */
  role: 'validator' | 'compute' | 'keymanager';
  /** Runtimes the node serves (compute nodes), at the built-in ParaTime version. */
  runtimes?: Uint8Array[];
}

/** The node's descriptor signed by all five of its keys, reachable on its host address. */
export function signedNodeDescriptor(node: NodeKeys, r: Registration): MultiSigned {
  const { identity } = node;
  const localhost = { ip: Uint8Array.from(node.host.split('.').map(Number)), port: node.p2pPort, zone: '' };
  return signNode(identity, {
    v: NODE_DESCRIPTOR_VERSION,
    id: identity.node.publicKey,
    entityId: r.entityId,
    expiration: r.expiration,
    tls: { pubKey: identity.tls.publicKey },
    p2p: { id: identity.p2p.publicKey, addresses: [localhost] },
    consensus: {
      id: identity.consensus.publicKey,
      addresses: [{ id: identity.p2p.publicKey, address: localhost }],
    },
    vrf: { id: identity.vrf.publicKey },
    runtimes: (r.runtimes ?? []).map((id) => ({
      id,
      version: { ...PARATIME_VERSION },
      capabilities: {},
      extraInfo: null,
    })),
    roles: {
      validator: NodeRoles.validator,
      compute: NodeRoles.computeWorker,
      keymanager: NodeRoles.keyManager,
    }[r.role],
  });
}

/** A new entity key in `<dir>/entities/<name>` and its descriptor listing `nodes`. */
export function newEntity(
  dir: string,
  name: string,
  nodes: NodeKeys[],
): { key: Ed25519KeyPair; descriptor: Signed } {
  const key = generateRoleKey(join(dir, 'entities', name), 'entity');
  const descriptor = signEntity(key, {
    v: ENTITY_DESCRIPTOR_VERSION,
    id: key.publicKey,
    nodes: nodes.map((n) => n.identity.node.publicKey),
  });
  return { key, descriptor };
}
