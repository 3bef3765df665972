/**
 * Consensus metrics under the names operators already chart: CometBFT's (`cometbft_consensus_*`,
 * `cometbft_mempool_size`, `cometbft_p2p_peers`) and oasis-node's own (`oasis_consensus_proposed_blocks`,
 * `oasis_consensus_signed_blocks`), updated once per committed block.
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { bytesEqual } from '../../codec/bytes.ts';
import type { Block } from '../../consensus/api/block.ts';
import { type Commit, CommitFlag } from '../../consensus/api/commit.ts';

/** oasis-node labels its consensus counters with the backend name. */
const BACKEND = { backend: 'tendermint' } as const;

/** The committed-block view of the chain's metrics. */
export class ConsensusMetrics {
  readonly #height: Gauge;
  readonly #rounds: Gauge;
  readonly #numTxs: Gauge;
  readonly #totalTxs: Counter;
  readonly #blockInterval: Histogram;
  readonly #validators: Gauge;
  readonly #missingValidators: Gauge;
  readonly #proposed: Counter;
  readonly #signed: Counter;
  /** Connected peers (`cometbft_p2p_peers` and oasis-node's `oasis_p2p_peers`). */
  readonly peers: Gauge[];
  /** Transactions waiting in the mempool. */
  readonly mempoolSize: Gauge;
  readonly #ownKey: Uint8Array | undefined;
  #lastBlockTimeMs: number | undefined;

  /** `ownConsensusKey` is this node's consensus key (absent on non-validators: nothing proposed or signed). */
  constructor(registry: Registry, ownConsensusKey?: Uint8Array) {
    this.#ownKey = ownConsensusKey;
    const registers = [registry];
    this.#height = new Gauge({ name: 'cometbft_consensus_height', help: 'Height of the chain.', registers });
    this.#rounds = new Gauge({
      name: 'cometbft_consensus_rounds',
      help: 'Round at which the latest block was decided.',
      registers,
    });
    this.#numTxs = new Gauge({
      name: 'cometbft_consensus_num_txs',
      help: 'Number of transactions in the latest block.',
      registers,
    });
    this.#totalTxs = new Counter({
      name: 'cometbft_consensus_total_txs',
      help: 'Transactions in blocks committed since the node started.',
      registers,
    });
    this.#blockInterval = new Histogram({
      name: 'cometbft_consensus_block_interval_seconds',
      help: 'Time between this and the last block (block header times).',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
      registers,
    });
    this.#validators = new Gauge({
      name: 'cometbft_consensus_validators',
      help: 'Number of validators that decided the latest block.',
      registers,
    });
    this.#missingValidators = new Gauge({
      name: 'cometbft_consensus_missing_validators',
      help: 'Number of validators whose precommit is absent from the latest commit.',
      registers,
    });
    this.#proposed = new Counter({
      name: 'oasis_consensus_proposed_blocks',
      help: 'Number of blocks proposed by the node.',
      labelNames: ['backend'],
      registers,
    });
    this.#signed = new Counter({
      name: 'oasis_consensus_signed_blocks',
      help: 'Number of blocks signed by the node.',
      labelNames: ['backend'],
      registers,
    });
    this.peers = [
      new Gauge({ name: 'cometbft_p2p_peers', help: 'Number of peers.', registers }),
      new Gauge({ name: 'oasis_p2p_peers', help: 'Number of connected P2P peers.', registers }),
    ];
    this.mempoolSize = new Gauge({
      name: 'cometbft_mempool_size',
      help: 'Number of uncommitted transactions in the mempool.',
      registers,
    });
    // Zero-valued series exist from the start, so a dashboard shows 0 rather than "no data".
    this.#proposed.inc(BACKEND, 0);
    this.#signed.inc(BACKEND, 0);
  }

  /**
   * Records a committed block, the commit that decided it and the public keys of the set that decided it
   * (in set order, as the commit's signatures are).
   */
  onCommit(block: Block, commit: Commit, deciders: readonly Uint8Array[]): void {
    this.#height.set(block.header.height);
    this.#rounds.set(commit.round);
    this.#numTxs.set(block.txs.length);
    this.#totalTxs.inc(block.txs.length);
    const timeMs = block.header.time;
    if (this.#lastBlockTimeMs !== undefined && timeMs >= this.#lastBlockTimeMs) {
      this.#blockInterval.observe((timeMs - this.#lastBlockTimeMs) / 1000);
    }
    this.#lastBlockTimeMs = timeMs;
    this.#validators.set(commit.signatures.length);
    this.#missingValidators.set(commit.signatures.filter((s) => s.flag === CommitFlag.absent).length);
    const own = this.#ownKey;
    if (own === undefined) return;
    if (bytesEqual(block.header.proposer, own)) this.#proposed.inc(BACKEND);
    const index = deciders.findIndex((key) => bytesEqual(key, own));
    if (index >= 0 && commit.signatures[index]?.flag === CommitFlag.commit) this.#signed.inc(BACKEND);
  }

  /** Sets the peer count under both names. */
  setPeers(count: number): void {
    for (const gauge of this.peers) gauge.set(count);
  }
}
