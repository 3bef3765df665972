/** `localnet.json`: what a local network consists of, for tools, tests and people. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringifyJson } from '../codec/json.ts';
import { replaceFileDurably } from '../durable_fs.ts';
import type { LocalnetAccount } from './test_accounts.ts';

/** One node of a local network. */
export interface LocalnetNode {
  name: string;
  roles: string[];
  /** Process id while running (0 when stopped). */
  pid: number;
  data_dir: string;
  config: string;
  internal_socket: string;
  /** gRPC-web base URL for `@oasisprotocol/client`. */
  grpc_web: string;
  /** Prometheus metrics URL (`…/metrics`), when the node serves them. */
  metrics?: string;
  p2p_address: string;
}

/** A runtime (ParaTime) registered at genesis and served by the compute nodes. */
export interface LocalnetRuntime {
  /** Runtime ID, 64 hex digits. */
  id: string;
  /** The ParaTime's catalog name. */
  name: string;
  /** Ethereum chain ID (EIP-155) of an EVM ParaTime. */
  chain_id?: number;
  /** JSON-RPC URL of an EVM ParaTime, when a node serves one. */
  web3?: string;
}

/**
 * The manifest. Accounts are funded test accounts (on consensus and in every runtime; the Ethereum keys
 * in the EVM ParaTime): their keys are public, never use them for value.
 */
export interface LocalnetManifest {
  chain_context: string;
  genesis_file: string;
  /** The web dashboard (served by the first validator), when the network has one. */
  dashboard?: string;
  nodes: LocalnetNode[];
  runtimes: LocalnetRuntime[];
  accounts: LocalnetAccount[];
}

/** Path of the manifest in a localnet directory. */
export function manifestPath(dir: string): string {
  return join(dir, 'localnet.json');
}

/** Reads the manifest of an existing localnet, or undefined when there is none. */
export function readManifest(dir: string): LocalnetManifest | undefined {
  try {
    const manifest = JSON.parse(readFileSync(manifestPath(dir), 'utf8')) as LocalnetManifest;
    // Networks laid out before runtimes existed have none.
    manifest.runtimes ??= [];
    return manifest;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`${manifestPath(dir)}: unreadable: ${(err as Error).message}`);
  }
}

/** Writes the manifest atomically. */
export function writeManifest(dir: string, manifest: LocalnetManifest): void {
  const path = manifestPath(dir);
  replaceFileDurably(path, new TextEncoder().encode(stringifyJson(manifest)), 0o600);
}
