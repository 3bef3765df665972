/**
 * A node's identity as oasis-core lays it out in the node's data directory: node (identity), P2P,
 * consensus, VRF and TLS keys, each in its own file. Every one of them signs the node descriptor.
 */

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Ed25519KeyPair } from '../ed25519.ts';
import {
  generateRoleKey,
  generateTlsKey,
  loadRoleKey,
  loadTlsKey,
  type SignerRole,
  SignerRoles,
  TLS_KEY_FILE,
} from './file_signer.ts';

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

/**
 * Loads the node keys in `dir`, generating each one that is missing, as oasis-node does on first start and
 * in `identity init`. An existing key is never replaced.
 */
export function loadOrGenerateNodeIdentity(dir: string): NodeIdentity {
  const role = (r: Exclude<SignerRole, 'entity'>) =>
    existsSync(join(dir, SignerRoles[r].file)) ? loadRoleKey(dir, r) : generateRoleKey(dir, r);
  return {
    node: role('node'),
    p2p: role('p2p'),
    consensus: role('consensus'),
    vrf: role('vrf'),
    tls: existsSync(join(dir, TLS_KEY_FILE)) ? loadTlsKey(dir) : generateTlsKey(dir),
  };
}
