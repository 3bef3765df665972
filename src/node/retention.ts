/**
 * How a node keeps its history bounded: the background pruner over its block store and state (holding back
 * the heights its hosted runtimes still read), and refusals to peers that ask for pruned heights, with a
 * clear log line on our side when a peer refuses us.
 */
import { fromHex } from '../codec/bytes.ts';
import type { PruneOptions } from '../consensus/bft/prune_options.ts';
import type { P2PHost } from '../p2p/api.ts';
import type { ChainView } from './chain_view.ts';
import type { P2PConsensusTransport } from './consensus_gossip.ts';
import type { NodeLogger } from './logging.ts';
import { PrunedCatchup } from './pruned_catchup.ts';
import { ConsensusPruner, type PrunableBlocks, type PrunableState } from './pruner.ts';
import { runtimeChainReads } from './runtime_chain_reads.ts';

/** What retention is wired to. */
export interface RetentionParts {
  prune: PruneOptions;
  chainContext: string;
  store: PrunableBlocks;
  state: PrunableState;
  view: ChainView;
  p2p: P2PHost;
  transport: P2PConsensusTransport;
  /** True while a block is being applied. */
  applying: () => boolean;
  /** Hex IDs of the runtimes this node hosts. */
  runtimeIds: string[];
  /** Another lowest height to keep (the checkpointer's version in progress); none: undefined. */
  holds?: () => number | undefined;
  log: NodeLogger;
}

/**
 * The lowest consensus height the hosted runtimes still read: each one's last round was finalized at a
 * height whose state the next round reads (incoming messages), so pruning must keep it.
 */
export function runtimesHeldHeight(view: ChainView, runtimeIds: string[]): number | undefined {
  if (runtimeIds.length === 0 || view.latestHeight() === 0) return undefined;
  const latest = view.stateAt(view.latestHeight());
  let held: number | undefined;
  for (const id of runtimeIds) {
    const rs = runtimeChainReads.runtimeState(latest, fromHex(id));
    if (rs === undefined) continue;
    const h = Number(rs.last_block_height);
    held = held === undefined ? h : Math.min(held, h);
  }
  return held;
}

/** Wires the pruner (not started) and the catch-up refusals; returns the pruner. */
export function wireRetention(r: RetentionParts): ConsensusPruner {
  const log = r.log.child({ module: 'consensus' });
  const catchup = new PrunedCatchup({
    host: r.p2p,
    chainContext: r.chainContext,
    retainedHeight: () => r.view.lastRetainedHeight(),
    onRefused: (peer, refusal) =>
      log.warn(
        { peer, height: refusal.height, peer_retained_height: refusal.retained },
        'peer has pruned the height we need; catching up only from peers that keep it',
      ),
  });
  r.transport.onPrunedRequest((from, message) => catchup.refuse(from, message));
  return new ConsensusPruner({
    prune: r.prune,
    store: r.store,
    state: r.state,
    busy: r.applying,
    holds: () => {
      const held = [runtimesHeldHeight(r.view, r.runtimeIds), r.holds?.()].filter((h) => h !== undefined);
      return held.length === 0 ? undefined : Math.min(...held);
    },
    onPass: (report) => log.info({ ...report }, 'pruned consensus history'),
    onError: (err) => log.warn({ err: err.message }, 'prune pass failed; retrying next interval'),
  });
}
