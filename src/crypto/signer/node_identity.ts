/**
 * A node's identity as oasis-core lays it out in the node's data directory: node (identity), P2P,
 * consensus, VRF and TLS keys, each in its own file. Every one of them signs the node descriptor.
 */
import type { Ed25519KeyPair } from '../ed25519.ts';
import { generateRoleKey, generateTlsKey, loadRoleKey, loadTlsKey } from './file_signer.ts';

/** The five key pairs of a node. */
export interface NodeIdentity {
  node: Ed25519KeyPair;
  p2p: Ed25519KeyPair;
  consensus: Ed25519KeyPair;
  vrf: Ed25519KeyPair;
  tls: Ed25519KeyPair;
}

/** Optional fixed seeds (tests and deterministic fixtures); missing ones are random. */
export type NodeIdentitySeeds = Partial<Record<keyof NodeIdentity, Uint8Array>>;

/** Generates every node key into `dir`; refuses if any key file already exists. */
export function generateNodeIdentity(dir: string, seeds: NodeIdentitySeeds = {}): NodeIdentity {
  return {
    node: generateRoleKey(dir, 'node', seeds.node),
    p2p: generateRoleKey(dir, 'p2p', seeds.p2p),
    consensus: generateRoleKey(dir, 'consensus', seeds.consensus),
    vrf: generateRoleKey(dir, 'vrf', seeds.vrf),
    tls: generateTlsKey(dir, seeds.tls),
  };
}

/** Loads every node key from `dir`. */
export function loadNodeIdentity(dir: string): NodeIdentity {
  return {
    node: loadRoleKey(dir, 'node'),
    p2p: loadRoleKey(dir, 'p2p'),
    consensus: loadRoleKey(dir, 'consensus'),
    vrf: loadRoleKey(dir, 'vrf'),
    tls: loadTlsKey(dir),
  };
}
