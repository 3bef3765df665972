/**
 * A node's Prometheus metrics (`metrics.mode: pull`), under the names oasis-node and CometBFT export so
 * existing dashboards and alerts work: `oasis_up`, consensus (`cometbft_consensus_*`,
 * `oasis_consensus_*_blocks`), p2p and mempool, runtime rounds, registry size, gRPC calls, process
 * resources (`oasis_node_*`), and prom-client's default Node.js process metrics. Served as text on
 * `metrics.address` at `/metrics`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { CallObserver } from '../../api/method.ts';
import type { Block } from '../../consensus/api/block.ts';
import type { Commit } from '../../consensus/api/commit.ts';
import type { BlockResults } from '../../storage/block_store.ts';
import { apiCallMetrics } from './api_calls.ts';
import { ChainMetrics, type RegistryCounts } from './chain.ts';
import { ConsensusMetrics } from './consensus.ts';
import { registerProcessMetrics } from './process.ts';
import { registerWorkerMetrics, type WorkerMetricsSources } from './worker.ts';

/** What the metrics read from the node besides what is pushed to them. */
export interface NodeMetricsSources {
  /** This node's consensus key (validators): counts the blocks it proposed and signed. */
  consensusKey?: Uint8Array;
  /** The registry's size at the latest height. */
  registryCounts?: () => RegistryCounts | undefined;
  /** The data directory, measured for `oasis_node_disk_usage_bytes`. */
  dataDir?: string;
  /** The runtimes this node hosts, for the compute worker gauges. */
  worker?: WorkerMetricsSources;
}

/** The node's metrics, on their own registry (no global state). */
export class NodeMetrics {
  readonly registry = new Registry();
  /** Consensus, p2p and mempool metrics. */
  readonly consensus: ConsensusMetrics;
  /** Reports API calls; the node hands it to its API registry. */
  readonly apiCalls: CallObserver;
  readonly #chain: ChainMetrics;
  #server: Server | undefined;

  constructor(sources: NodeMetricsSources = {}) {
    new Gauge({ name: 'oasis_up', help: 'Whether the node is up.', registers: [this.registry] }).set(1);
    collectDefaultMetrics({ register: this.registry });
    this.consensus = new ConsensusMetrics(this.registry, sources.consensusKey);
    this.#chain = new ChainMetrics(this.registry, sources.registryCounts);
    this.apiCalls = apiCallMetrics(this.registry);
    registerProcessMetrics(this.registry, sources.dataDir);
    if (sources.worker !== undefined) registerWorkerMetrics(this.registry, sources.worker);
  }

  /**
   * Records a committed block: the commit that decided it, the keys of the set that decided it (in set
   * order) and its execution results.
   */
  onCommit(block: Block, commit: Commit, deciders: readonly Uint8Array[], results?: BlockResults): void {
    this.consensus.onCommit(block, commit, deciders);
    if (results === undefined) return;
    const events = [...results.events, ...results.txResults.flatMap((r) => r.events)];
    this.#chain.onEvents(events, block.header.time);
  }

  /** Serves `/metrics` on `host:port`; resolves to the bound address. */
  async serve(address: string): Promise<string> {
    const [host, port] = address.split(':') as [string, string];
    const server = createServer(async (req, res) => {
      if (req.url !== '/metrics') {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': this.registry.contentType }).end(await this.registry.metrics());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(Number(port), host, resolve);
    });
    this.#server = server;
    return `${host}:${(server.address() as AddressInfo).port}`;
  }

  /** Stops serving. */
  async close(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
