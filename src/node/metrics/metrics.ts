/**
 * Prometheus metrics of a node (opt-in: `metrics.mode: prometheus`): chain height and round, peers,
 * mempool size, committed transactions and block intervals, served as text on `metrics.address`.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** The node's metrics, on their own registry (no global state). */
export class NodeMetrics {
  readonly registry = new Registry();
  readonly height = new Gauge({
    name: 'oasis_ts_consensus_height',
    help: 'Latest committed block height',
    registers: [this.registry],
  });
  readonly round = new Gauge({
    name: 'oasis_ts_consensus_round',
    help: 'Round at which the latest block was decided',
    registers: [this.registry],
  });
  readonly peers = new Gauge({
    name: 'oasis_ts_p2p_peers',
    help: 'Connected peers',
    registers: [this.registry],
  });
  readonly mempoolSize = new Gauge({
    name: 'oasis_ts_mempool_size',
    help: 'Transactions waiting in the mempool',
    registers: [this.registry],
  });
  readonly txs = new Counter({
    name: 'oasis_ts_committed_transactions_total',
    help: 'Transactions in committed blocks',
    registers: [this.registry],
  });
  readonly blockInterval = new Histogram({
    name: 'oasis_ts_block_interval_seconds',
    help: 'Time between consecutive committed blocks (block header times)',
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
    registers: [this.registry],
  });
  #lastBlockTimeMs: number | undefined;
  #server: Server | undefined;

  /** Records a committed block. `timeMs` is its header time. */
  onBlock(height: number, round: number, txCount: number, timeMs: number): void {
    this.height.set(height);
    this.round.set(round);
    this.txs.inc(txCount);
    if (this.#lastBlockTimeMs !== undefined && timeMs >= this.#lastBlockTimeMs) {
      this.blockInterval.observe((timeMs - this.#lastBlockTimeMs) / 1000);
    }
    this.#lastBlockTimeMs = timeMs;
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
