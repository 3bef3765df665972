/**
 * The `consensus` section of a node's configuration: the engine's round timeouts and the wait after a
 * commit (by default the genesis `timeout_commit`), how much history to keep (`prune`), and joining by state
 * sync from a trust root (`state_sync`, `light_client`).
 */
import { durationMs } from '../../codec/config_values.ts';
import { optional, struct, typed, uint } from '../../codec/schema.ts';
import { DEFAULT_TIMEOUTS, type TimeoutParams } from './engine/types.ts';
import { defaultPruneOptions, type PruneOptions, pruneOptionsDecoder } from './prune_options.ts';
import {
  defaultStateSyncOptions,
  defaultTrustOptions,
  lightClientOptionsDecoder,
  type StateSyncOptions,
  stateSyncOptionsDecoder,
  type TrustOptions,
} from './state_sync_options.ts';

/** Consensus options, in milliseconds. */
export interface ConsensusOptions {
  /** Wait after a commit before the next height; null = the genesis `timeout_commit`. */
  timeout_commit_ms: number | null;
  /** Propose/prevote/precommit base timeouts. */
  timeout_propose_ms: number;
  timeout_prevote_ms: number;
  timeout_precommit_ms: number;
  /** Per-round timeout increase. */
  timeout_delta_ms: number;
  /** How much history the node keeps (oasis-node's `consensus.prune`). */
  prune: PruneOptions;
  /** How long a node stopping for an upgrade keeps serving its last block to peers, beyond 5 s. */
  upgrade_stop_delay: number;
  /** Joining by state sync (oasis-node's `consensus.state_sync`). */
  state_sync: StateSyncOptions;
  /** The light client's trust root (oasis-node's `consensus.light_client`). */
  light_client: { trust: TrustOptions };
}

/** Defaults: CometBFT's timeouts, the genesis commit timeout. */
export function defaultConsensusOptions(): ConsensusOptions {
  return {
    timeout_commit_ms: null,
    timeout_propose_ms: DEFAULT_TIMEOUTS.proposeMs,
    timeout_prevote_ms: DEFAULT_TIMEOUTS.prevoteMs,
    timeout_precommit_ms: DEFAULT_TIMEOUTS.precommitMs,
    timeout_delta_ms: DEFAULT_TIMEOUTS.proposeDeltaMs,
    prune: defaultPruneOptions(),
    upgrade_stop_delay: 60_000,
    state_sync: defaultStateSyncOptions(),
    light_client: { trust: defaultTrustOptions() },
  };
}

/** Decodes a `consensus` section as written in a file (every key optional). */
export const consensusOptionsDecoder = struct({
  timeout_commit_ms: optional(
    typed('unsigned integer or null', (v, p) => (v === null ? null : uint(v, p))),
    'Wait after a commit before the next height, in ms; null: the genesis `timeout_commit`',
  ),
  timeout_propose_ms: optional(uint, 'How long a round waits for a proposal, in ms'),
  timeout_prevote_ms: optional(uint, 'How long a round waits for prevotes beyond two thirds, in ms'),
  timeout_precommit_ms: optional(uint, 'How long a round waits for precommits beyond two thirds, in ms'),
  timeout_delta_ms: optional(uint, 'How much each of those timeouts grows per round, in ms'),
  prune: optional(pruneOptionsDecoder, 'How much consensus history the node keeps'),
  upgrade_stop_delay: optional(
    durationMs,
    'How long a node that stops for an upgrade keeps serving its last block to peers, after max(5s, timeout_commit) (default 1m)',
  ),
  state_sync: optional(stateSyncOptionsDecoder, 'Joining by restoring a checkpoint from peers'),
  light_client: optional(lightClientOptionsDecoder, 'The light client (its trust root)'),
});

/** The engine's round timeouts. */
export function roundTimeouts(o: ConsensusOptions): TimeoutParams {
  return {
    ...DEFAULT_TIMEOUTS,
    proposeMs: o.timeout_propose_ms,
    prevoteMs: o.timeout_prevote_ms,
    precommitMs: o.timeout_precommit_ms,
    proposeDeltaMs: o.timeout_delta_ms,
    prevoteDeltaMs: o.timeout_delta_ms,
    precommitDeltaMs: o.timeout_delta_ms,
  };
}

/** The wait after a commit: the configured one, else the genesis `timeout_commit` (nanoseconds). */
export function commitTimeoutMs(o: ConsensusOptions, genesisTimeoutCommitNs: bigint): number {
  return o.timeout_commit_ms ?? Number(genesisTimeoutCommitNs / 1_000_000n);
}
