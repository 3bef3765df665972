/**
 * Node configuration: a YAML file laid out like oasis-node's (`mode`, `common`, `genesis`, `p2p`,
 * `consensus`, `metrics`, …) plus command-line overrides, merged over defaults and validated strictly —
 * an unknown key or a wrong type is refused with a message naming the key.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { CborValue } from '../codec/cbor.ts';
import { anyValue, arrayOf, bool, type Decoder, optional, struct, text, uint } from '../codec/schema.ts';
import { CodecError, namedError } from '../errors.ts';

/** What a node does (oasis-node `mode`). */
export type NodeMode = 'validator' | 'compute' | 'client';

/** The full, validated configuration with defaults applied. */
export interface NodeConfig {
  mode: NodeMode;
  common: { data_dir: string; log: { level: LogLevel; format: 'json' | 'pretty' } };
  genesis: { file: string };
  p2p: {
    /** TCP port libp2p listens on (0 picks a free port). */
    port: number;
    /** Interface to listen on. */
    host: string;
    /** Multiaddrs (with `/p2p/<peer id>`) dialled at start and whenever the link drops. */
    persistent_peers: string[];
    max_gossip_bytes: number;
    /** Admit only peers whose P2P key belongs to a registered node (or a persistent peer). */
    registered_only: boolean;
  };
  consensus: {
    /** Wait after a commit before the next height (milliseconds); null = the genesis `timeout_commit`. */
    timeout_commit_ms: number | null;
    /** Propose/prevote/precommit base timeouts (milliseconds). */
    timeout_propose_ms: number;
    timeout_prevote_ms: number;
    timeout_precommit_ms: number;
    /** Per-round timeout increase (milliseconds). */
    timeout_delta_ms: number;
  };
  mempool: { max_txs: number; max_bytes: number; ttl_blocks: number };
  /** gRPC-web for clients (`@oasisprotocol/client`): `host:port`, or empty to disable. */
  grpc_web: { address: string };
  metrics: { mode: 'none' | 'prometheus'; address: string };
  /** ParaTimes this node hosts (compute nodes execute them; client nodes follow and serve them). */
  runtimes: RuntimeConfig[];
  /** Test-network switches. Never enable on a real network. */
  debug: { double_sign: boolean; sanity_checks: boolean; executor_mode: ExecutorMode };
}

/** One hosted ParaTime. */
export interface RuntimeConfig {
  /** Runtime ID, 64 hex digits. */
  id: string;
  /** Which built-in ParaTime implements it (see src/runtime/paratimes/catalog.ts). */
  paratime: string;
  /** ParaTime-specific settings (e.g. the accounts ParaTime's genesis balances); identical on every node. */
  config: CborValue;
}

/**
 * How the executor behaves (test networks only): `honest`; `dishonest` commits a wrong state root;
 * `straggler` executes but never commits.
 */
export type ExecutorMode = 'honest' | 'dishonest' | 'straggler';

/** Log levels (pino's). */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/** Defaults: a validator on an ephemeral local network. */
export function defaultConfig(): NodeConfig {
  return {
    mode: 'validator',
    common: { data_dir: '', log: { level: 'info', format: 'json' } },
    genesis: { file: 'genesis.json' },
    p2p: {
      port: 26656,
      host: '127.0.0.1',
      persistent_peers: [],
      max_gossip_bytes: 1024 * 1024,
      registered_only: false,
    },
    consensus: {
      timeout_commit_ms: null,
      timeout_propose_ms: 3000,
      timeout_prevote_ms: 1000,
      timeout_precommit_ms: 1000,
      timeout_delta_ms: 500,
    },
    mempool: { max_txs: 20_000, max_bytes: 64 * 1024 * 1024, ttl_blocks: 100 },
    grpc_web: { address: '' },
    metrics: { mode: 'none', address: '127.0.0.1:3000' },
    runtimes: [],
    debug: { double_sign: false, sanity_checks: false, executor_mode: 'honest' },
  };
}

const port: Decoder<number> = (v, p) => {
  const n = uint(v, p);
  if (n > 65535) throw new CodecError(p, 'port must be at most 65535');
  return n;
};

const nonEmpty: Decoder<string> = (v, p) => {
  const s = text(v, p);
  if (!s) throw new CodecError(p, 'must not be empty');
  return s;
};

const hostPort: Decoder<string> = (v, p) => {
  const s = text(v, p);
  if (s && !/^[^\s:]+:\d{1,5}$/.test(s))
    throw new CodecError(p, `expected host:port, got ${JSON.stringify(s)}`);
  return s;
};

const runtimeIdHex: Decoder<string> = (v, p) => {
  const s = text(v, p);
  if (!/^[0-9a-f]{64}$/.test(s)) throw new CodecError(p, 'expected a runtime ID as 64 lowercase hex digits');
  return s;
};

function runtimeDecoder(): Decoder<RuntimeConfig> {
  const decode = struct({ id: runtimeIdHex, paratime: nonEmpty, config: optional(anyValue) });
  return (v, p) => {
    const r = decode(v, p);
    return { id: r.id, paratime: r.paratime, config: r.config ?? null };
  };
}

/** Partial config as found in a file: every key optional, every value typed. */
const fileDecoder = struct({
  mode: optional(enumOfStrings(['validator', 'compute', 'client'] as const)),
  common: optional(
    struct({
      data_dir: optional(text),
      log: optional(
        struct({
          level: optional(enumOfStrings(['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const)),
          format: optional(enumOfStrings(['json', 'pretty'] as const)),
        }),
      ),
    }),
  ),
  genesis: optional(struct({ file: optional(nonEmpty) })),
  p2p: optional(
    struct({
      port: optional(port),
      host: optional(nonEmpty),
      persistent_peers: optional(arrayOf(nonEmpty)),
      max_gossip_bytes: optional(uint),
      registered_only: optional(bool),
    }),
  ),
  consensus: optional(
    struct({
      timeout_commit_ms: optional((v, p) => (v === null ? null : uint(v, p))),
      timeout_propose_ms: optional(uint),
      timeout_prevote_ms: optional(uint),
      timeout_precommit_ms: optional(uint),
      timeout_delta_ms: optional(uint),
    }),
  ),
  mempool: optional(
    struct({ max_txs: optional(uint), max_bytes: optional(uint), ttl_blocks: optional(uint) }),
  ),
  grpc_web: optional(struct({ address: optional(hostPort) })),
  metrics: optional(
    struct({ mode: optional(enumOfStrings(['none', 'prometheus'] as const)), address: optional(hostPort) }),
  ),
  runtimes: optional(arrayOf(runtimeDecoder())),
  debug: optional(
    struct({
      double_sign: optional(bool),
      sanity_checks: optional(bool),
      executor_mode: optional(enumOfStrings(['honest', 'dishonest', 'straggler'] as const)),
    }),
  ),
});

function enumOfStrings<T extends string>(allowed: readonly T[]): Decoder<T> {
  return (v, p) => {
    const s = text(v, p);
    if (!allowed.includes(s as T))
      throw new CodecError(p, `expected one of ${allowed.join(', ')}, got ${JSON.stringify(s)}`);
    return s as T;
  };
}

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
      merge(config, fileDecoder((raw ?? {}) as CborValue, '') as Record<string, unknown>);
    } catch (err) {
      throw new ConfigError(`${source}: ${(err as Error).message}`);
    }
  }
  const cfg = config as unknown as NodeConfig;
  if (!cfg.common.data_dir) throw new ConfigError(`${label}: common.data_dir: required (or pass --datadir)`);
  cfg.common.data_dir = resolve(cfg.common.data_dir);
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
