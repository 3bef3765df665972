/**
 * Node configuration: a YAML file laid out like oasis-node's (`mode`, `common`, `genesis`, `p2p`,
 * `consensus`, `metrics`, `dashboard`, `web3`, …) plus command-line overrides, merged over defaults and validated strictly —
 * an unknown key or a wrong type is refused with a message naming the key. Each subsystem owns its
 * section (type, defaults, decoder) beside its code; this file composes them.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import {
  type DashboardOptions,
  dashboardOptionsDecoder,
  defaultDashboardOptions,
} from '../api/dashboard/options.ts';
import { defaultGrpcWebOptions, type GrpcWebOptions, grpcWebOptionsDecoder } from '../api/options.ts';
import { type Web3Options, web3OptionsDecoder } from '../api/web3/options.ts';
import type { CborValue } from '../codec/cbor.ts';
import { enumOfStrings, nonEmpty } from '../codec/config_values.ts';
import { arrayOf, bool, optional, struct, text } from '../codec/schema.ts';
import {
  type ConsensusOptions,
  consensusOptionsDecoder,
  defaultConsensusOptions,
} from '../consensus/bft/options.ts';
import { checkPruneOptions } from '../consensus/bft/prune_options.ts';
import { checkStateSyncOptions } from '../consensus/bft/state_sync_options.ts';
import { namedError } from '../errors.ts';
import { defaultMempoolOptions, type MempoolOptions, mempoolOptionsDecoder } from '../mempool/options.ts';
import { defaultP2pOptions, type P2pOptions, p2pOptionsDecoder } from '../p2p/options.ts';
import { type KeyManagerOptions, keyManagerOptionsDecoder } from '../runtime/node/keymanager/options.ts';
import {
  DEFAULT_EXECUTOR_MODE,
  type ExecutorMode,
  executorModeDecoder,
  type RuntimeConfig,
  runtimeConfigDecoder,
} from '../runtime/node/options.ts';
import { defaultLogOptions, type LogOptions, logOptionsDecoder } from './logging.ts';
import { defaultMetricsOptions, type MetricsOptions, metricsOptionsDecoder } from './metrics/options.ts';

/** What a node does (oasis-node `mode`). */
export type NodeMode = 'validator' | 'compute' | 'client' | 'archive';

/** The full, validated configuration with defaults applied: each subsystem's section, composed. */
export interface NodeConfig {
  mode: NodeMode;
  common: { data_dir: string; log: LogOptions };
  genesis: { file: string };
  p2p: P2pOptions;
  consensus: ConsensusOptions;
  mempool: MempoolOptions;
  /** gRPC-web for clients (`@oasisprotocol/client`). */
  grpc_web: GrpcWebOptions;
  metrics: MetricsOptions;
  /** The web dashboard (off unless `dashboard.address` is set). */
  dashboard: DashboardOptions;
  /** ParaTimes this node hosts (compute nodes execute them; client nodes follow and serve them). */
  runtimes: RuntimeConfig[];
  /** Ethereum JSON-RPC for one hosted EVM ParaTime; absent: none. */
  web3?: Web3Options;
  /** Serve a key manager (needs `debug.allow_insecure_keymanager`: no TEE); absent: none. */
  keymanager?: KeyManagerOptions;
  /** Test-network switches. Never enable on a real network. */
  debug: {
    double_sign: boolean;
    sanity_checks: boolean;
    executor_mode: ExecutorMode;
    p2p_fault_file: string;
    allow_insecure_keymanager: boolean;
  };
}

/** Defaults: a validator on an ephemeral local network. */
export function defaultConfig(): NodeConfig {
  return {
    mode: 'validator',
    common: { data_dir: '', log: defaultLogOptions() },
    genesis: { file: 'genesis.json' },
    p2p: defaultP2pOptions(),
    consensus: defaultConsensusOptions(),
    mempool: defaultMempoolOptions(),
    grpc_web: defaultGrpcWebOptions(),
    metrics: defaultMetricsOptions(),
    dashboard: defaultDashboardOptions(),
    runtimes: [],
    debug: {
      double_sign: false,
      sanity_checks: false,
      executor_mode: DEFAULT_EXECUTOR_MODE,
      p2p_fault_file: '',
      allow_insecure_keymanager: false,
    },
  };
}

/**
 * Partial config as found in a file: every key optional, every value typed. Each key carries a one-line
 * description, from which docs/configuration.md is generated (scripts/config-reference.ts).
 */
export const configFileDecoder = struct({
  mode: optional(
    enumOfStrings(['validator', 'compute', 'client', 'archive'] as const),
    "What the node does: validate consensus, execute ParaTimes, follow as a client, or serve a stopped chain's history read-only (archive: no p2p, no consensus, transactions refused; the listed runtimes' history is served too)",
  ),
  common: optional(
    struct({
      data_dir: optional(text, 'Data directory (keys, chain data); required, or pass --datadir'),
      log: optional(logOptionsDecoder, 'Logging'),
    }),
    'Settings shared by every subsystem',
  ),
  genesis: optional(
    struct({ file: optional(nonEmpty, 'Genesis document; a relative path is under the data directory') }),
    'The network to join',
  ),
  p2p: optional(p2pOptionsDecoder, 'Peer-to-peer networking (libp2p)'),
  consensus: optional(consensusOptionsDecoder, 'Consensus engine timeouts and history'),
  mempool: optional(mempoolOptionsDecoder, 'Pending consensus transactions'),
  grpc_web: optional(grpcWebOptionsDecoder, 'gRPC-web for clients'),
  metrics: optional(metricsOptionsDecoder, 'Prometheus metrics'),
  dashboard: optional(dashboardOptionsDecoder, 'The web dashboard'),
  runtimes: optional(arrayOf(runtimeConfigDecoder), 'ParaTimes this node hosts'),
  web3: optional(web3OptionsDecoder, 'Ethereum JSON-RPC for one hosted EVM ParaTime; absent: none'),
  keymanager: optional(
    keyManagerOptionsDecoder,
    'Serve a key manager to confidential runtimes (no TEE: needs debug.allow_insecure_keymanager); absent: none',
  ),
  debug: optional(
    struct({
      double_sign: optional(bool, 'Sign conflicting votes (to test slashing); never on a real network'),
      sanity_checks: optional(bool, 'Check state invariants after every block (slow)'),
      executor_mode: optional(
        executorModeDecoder,
        'Executor behaviour: honest; dishonest commits a wrong state root; straggler never commits',
      ),
      p2p_fault_file: optional(
        text,
        'JSON file {"blocked": [peer P2P key hex]} re-read every 250 ms: links to those peers are cut (fault tests); empty: off',
      ),
      allow_insecure_keymanager: optional(
        bool,
        'Allow a key manager without a TEE (master secret in the data directory); test networks only',
      ),
    }),
    'Test-network switches; never enable on a real network',
  ),
});

/** Raised for an unreadable or invalid configuration; the message names the file and the key. */
export class ConfigError extends namedError('ConfigError') {}

function merge(target: Record<string, unknown>, source: Record<string, unknown>): void {
  for (const [k, v] of Object.entries(source)) {
    if (v === undefined) continue;
    const t = target[k];
    if (t && typeof t === 'object' && !Array.isArray(t) && v && typeof v === 'object' && !Array.isArray(v)) {
      merge(t as Record<string, unknown>, v as Record<string, unknown>);
    } else {
      target[k] = v;
    }
  }
}

/** Sets `a.b.c` in a nested object (for `--a.b.c value` command-line overrides). */
export function setPath(obj: Record<string, unknown>, dotted: string, value: unknown): void {
  const parts = dotted.split('.');
  let cur = obj;
  for (const part of parts.slice(0, -1)) {
    if (!cur[part] || typeof cur[part] !== 'object') cur[part] = {};
    cur = cur[part] as Record<string, unknown>;
  }
  cur[parts[parts.length - 1]!] = value;
}

/**
 * Builds the configuration from an optional YAML file and overrides (a partial config, e.g. from flags),
 * validates it, and resolves relative paths against the data directory.
 */
export function loadConfig(file: string | undefined, overrides: Record<string, unknown> = {}): NodeConfig {
  const config = defaultConfig() as unknown as Record<string, unknown>;
  const label = file ?? 'configuration';
  for (const [source, raw] of [
    [label, file ? readYaml(file) : {}],
    ['command line', overrides],
  ] as const) {
    try {
      merge(config, configFileDecoder((raw ?? {}) as CborValue, '') as Record<string, unknown>);
    } catch (err) {
      throw new ConfigError(`${source}: ${(err as Error).message}`);
    }
  }
  const cfg = config as unknown as NodeConfig;
  try {
    cfg.consensus.prune = checkPruneOptions(cfg.consensus.prune);
    checkStateSyncOptions(cfg.consensus.state_sync, cfg.consensus.light_client.trust);
  } catch (err) {
    throw new ConfigError(`${label}: ${(err as Error).message}`);
  }
  if (!cfg.common.data_dir) throw new ConfigError(`${label}: common.data_dir: required (or pass --datadir)`);
  cfg.common.data_dir = resolve(cfg.common.data_dir);
  if (cfg.web3 !== undefined && !cfg.runtimes.some((r) => r.id === cfg.web3!.runtime_id))
    throw new ConfigError(`${label}: web3.runtime_id: ${cfg.web3.runtime_id} is not one of runtimes[].id`);
  if (cfg.keymanager !== undefined && !cfg.debug.allow_insecure_keymanager)
    throw new ConfigError(
      `${label}: keymanager: there is no TEE key manager; an insecure one needs debug.allow_insecure_keymanager`,
    );
  if (!isAbsolute(cfg.genesis.file)) cfg.genesis.file = join(cfg.common.data_dir, cfg.genesis.file);
  return cfg;
}

function readYaml(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(
      `${file}: cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  try {
    return parseYaml(text) ?? {};
  } catch (err) {
    throw new ConfigError(`${file}: not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
}
