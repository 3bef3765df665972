/**
 * The YAML configuration of one local network node (the same file `oasis-ts node --config` reads):
 * its data directory, the shared genesis file, P2P on its host address (127.0.0.1 by default) with every other node as a persistent
 * peer, gRPC-web, metrics, the ParaTimes it hosts, the dashboard or an Ethereum JSON-RPC endpoint where the
 * network serves them, and the test switches.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify as toYaml } from 'yaml';
import type { NodeMode } from '../node/config.ts';
import type { KeyManagerOptions } from '../runtime/node/keymanager/options.ts';
import type { ExecutorMode, RuntimeConfig } from '../runtime/node/options.ts';
import type { NodeKeys } from './layout.ts';

/** What differs between the nodes of a network. */
export interface NodeConfigOptions {
  mode: NodeMode;
  genesisFile: string;
  persistentPeers: string[];
  /** Admit only registered nodes and persistent peers. */
  registeredOnly: boolean;
  doubleSign: boolean;
  /** Check state invariants after every block (`debug.sanity_checks`; a full state scan). */
  sanityChecks: boolean;
  /** The ParaTimes the node hosts (compute nodes). */
  runtimes: RuntimeConfig[];
  executorMode: ExecutorMode;
  /** Serve Ethereum JSON-RPC for this EVM runtime (hex ID) on this address. */
  web3?: { runtime_id: string; listen_address: string };
  /** Serve the web dashboard on this address. */
  dashboardAddress?: string;
  /** Serve Prometheus metrics on this address. */
  metricsAddress?: string;
  /** Enable the test-only P2P fault file (`debug.p2p_fault_file`) at this path. */
  p2pFaultFile?: string;
  /** Serve this key manager (insecure: no TEE; the key manager node's data directory holds its secret). */
  keyManager?: KeyManagerOptions;
}

/** Writes `<data dir>/config.yml` (owner-only) and returns its path. */
export function writeNodeConfig(node: NodeKeys, o: NodeConfigOptions): string {
  const path = join(node.dataDir, 'config.yml');
  const config = {
    mode: o.mode,
    common: { data_dir: node.dataDir, log: { level: 'info' } },
    genesis: { file: o.genesisFile },
    p2p: {
      host: node.host,
      port: node.p2pPort,
      persistent_peers: o.persistentPeers,
      registered_only: o.registeredOnly,
    },
    grpc_web: { address: `${node.host}:${node.grpcWebPort}` },
    ...(o.runtimes.length > 0 ? { runtimes: o.runtimes } : {}),
    ...(o.web3 !== undefined ? { web3: o.web3 } : {}),
    ...(o.dashboardAddress !== undefined ? { dashboard: { address: o.dashboardAddress } } : {}),
    ...(o.metricsAddress !== undefined ? { metrics: { mode: 'pull', address: o.metricsAddress } } : {}),
    ...(o.keyManager !== undefined ? { keymanager: o.keyManager } : {}),
    debug: {
      double_sign: o.doubleSign,
      sanity_checks: o.sanityChecks,
      ...(o.keyManager !== undefined ? { allow_insecure_keymanager: true } : {}),
      ...(o.mode === 'compute' ? { executor_mode: o.executorMode } : {}),
      ...(o.p2pFaultFile !== undefined ? { p2p_fault_file: o.p2pFaultFile } : {}),
    },
  };
  writeFileSync(path, toYaml(config), { mode: 0o600 });
  return path;
}
