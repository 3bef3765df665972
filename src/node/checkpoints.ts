/**
 * Checkpoints and state sync in a node: the checkpointer over the node's state (with its files beside
 * the state directory), the state-sync protocol served to peers, and — for a fresh node with
 * `consensus.state_sync.enabled` — the restore that runs before the consensus engine starts.
 */
import { fromHex } from '../codec/bytes.ts';
import type { ChainState } from '../consensus/bft/chain_state.ts';
import type { ConsensusOptions } from '../consensus/bft/options.ts';
import type { P2PHost } from '../p2p/api.ts';
import { CheckpointFiles } from '../state/checkpoint/files.ts';
import type { MkvsState } from '../state/mkvs/versioned.ts';
import type { LmdbBlockStore } from '../storage/block_store.ts';
import { StateSyncClient, serveStateSync } from './checkpoint_protocol.ts';
import { Checkpointer, type CheckpointParams } from './checkpointer.ts';
import type { NodeLogger } from './logging.ts';
import { resumeChainState, runStateSync } from './state_sync.ts';
import { lightClientHeaders, type VerifiedHeaderAt } from './trusted_headers.ts';

/** How long a fresh node may take to state-sync before it gives up (and exits with the reason). */
export const STATE_SYNC_DEADLINE_MS = 10 * 60_000;

/** What checkpoints and state sync are wired to. */
export interface CheckpointParts {
  params: CheckpointParams;
  options: ConsensusOptions;
  chainContext: string;
  /** Directory of the checkpoint files. */
  dir: string;
  state: MkvsState;
  store: LmdbBlockStore<ChainState>;
  p2p: P2PHost;
  log: NodeLogger;
  /** The verified-header port; default: the light client over the peers' light protocol. */
  headerAt?: VerifiedHeaderAt;
}

/** The wired parts: the checkpointer (not started) and the state sync to run before consensus starts. */
export interface NodeCheckpoints {
  checkpointer: Checkpointer;
  /** Restores the state from peers when enabled and the node is fresh; resolves with the height, if any. */
  syncIfNeeded(): Promise<number | undefined>;
}

/** Wires checkpoints and state sync. */
export function wireCheckpoints(p: CheckpointParts): NodeCheckpoints {
  const log = p.log.child({ module: 'consensus/checkpoints' });
  const files = new CheckpointFiles(p.dir);
  const checkpointer = new Checkpointer({
    params: p.params,
    state: p.state,
    files,
    onCreated: (info) => log.info({ ...info }, 'checkpoint created'),
    onError: (err) => log.warn({ err: err.message }, 'checkpoint failed; retrying'),
  });
  serveStateSync(p.p2p, p.chainContext, {
    files,
    chainState: (h) => p.store.stateAt(h),
    header: (h) => p.store.block(h)?.header,
  });
  const client = new StateSyncClient(p.p2p, p.chainContext);
  const syncIfNeeded = async (): Promise<number | undefined> => {
    if (!p.options.state_sync.enabled || p.store.state() !== undefined || p.store.height() > 0)
      return undefined;
    const trust = p.options.light_client.trust;
    const syncLog = p.log.child({ module: 'consensus/statesync' });
    const headerAt =
      p.headerAt ??
      lightClientHeaders(p.p2p, p.chainContext, {
        height: trust.height,
        hash: fromHex(trust.hash),
        periodMs: trust.period,
      });
    const o = {
      client,
      peers: () => p.p2p.peers(),
      penalize: (peer: string, reason: string) => p.p2p.penalize(peer, reason),
      headerAt,
      state: p.state,
      saveChainState: async (s: ChainState) => {
        await p.store.saveState(s);
        await p.store.flush();
      },
      chainContext: p.chainContext,
      minHeight: trust.height - 1,
      deadlineMs: STATE_SYNC_DEADLINE_MS,
      log: {
        info: (f: Record<string, unknown>, m: string) => syncLog.info(f, m),
        warn: (f: Record<string, unknown>, m: string) => syncLog.warn(f, m),
      },
    };
    // A crash between the state's commit and the chain state's save leaves a restored state: finish it.
    if (p.state.latestVersion() > 0) return resumeChainState(o);
    return runStateSync(o);
  };
  return { checkpointer, syncIfNeeded };
}
