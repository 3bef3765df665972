/**
 * What a committed consensus block sets off in a node, in order: metrics, the chain view (API watchers and
 * transactions waiting to be decided), a validator's own transactions, and the hosted runtimes. Built
 * before the engine's driver, which calls it on every commit.
 */
import { toHex } from '../codec/bytes.ts';
import type { Block } from '../consensus/api/block.ts';
import type { Commit } from '../consensus/api/commit.ts';
import type { ChainState } from '../consensus/bft/chain_state.ts';
import type { HostedRuntimes } from '../runtime/node/hosted_runtimes.ts';
import type { LmdbBlockStore } from '../storage/block_store.ts';
import type { ChainView } from './chain_view.ts';
import type { NodeLogger } from './logging.ts';
import type { NodeMetrics } from './metrics/metrics.ts';
import type { OwnTransactions } from './own_transactions.ts';

/** At info level an operator sees the chain advance every this many heights (every block is at debug). */
const INFO_EVERY_HEIGHTS = 100;

/** The parts a committed block updates. */
export interface CommitFanoutParts {
  store: LmdbBlockStore<ChainState>;
  metrics: NodeMetrics;
  peerCount: () => number;
  mempoolSize: () => number;
  view: ChainView;
  /** A validator's own transactions; absent for other modes. */
  own: OwnTransactions | undefined;
  runtimes: HostedRuntimes;
  log: NodeLogger;
}

/** The driver's `onCommit`: hands a committed block to every part that follows the chain. */
export function commitFanout(p: CommitFanoutParts): (block: Block, hash: Uint8Array, commit: Commit) => void {
  return (block, hash, commit) => {
    const height = block.header.height;
    const results = p.store.results(height);
    const deciders = p.store.state()?.lastValidators?.validators.map((v) => v.publicKey) ?? [];
    p.metrics.onCommit(block, commit, deciders, results);
    p.metrics.consensus.setPeers(p.peerCount());
    p.metrics.consensus.mempoolSize.set(p.mempoolSize());
    p.view.onCommit(block, hash, results);
    const state = p.view.stateAt(height);
    p.own?.afterCommit(state, height);
    p.runtimes.onConsensusCommit(state, height);
    p.log.debug({ height, hash: toHex(hash), txs: block.txs.length }, 'block committed');
    if (height % INFO_EVERY_HEIGHTS === 0) p.log.info({ height, hash: toHex(hash) }, 'chain advanced');
  };
}
