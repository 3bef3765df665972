import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ApiRegistry, unaryMethod } from '../../../src/api/method.ts';
import type { Block } from '../../../src/consensus/api/block.ts';
import { type Commit, CommitFlag, type CommitSig } from '../../../src/consensus/api/commit.ts';
import { NodeMetrics } from '../../../src/node/metrics/metrics.ts';
import { cpuTimes, directoryBytes, statusBytes } from '../../../src/node/metrics/process.ts';
import type { BlockResults } from '../../../src/storage/block_store.ts';

const key = (b: number) => new Uint8Array(32).fill(b);
const [OWN, OTHER, THIRD] = [key(1), key(2), key(3)];
const DECIDERS = [OTHER, OWN, THIRD];

/** The parts of a block and commit the metrics read. */
function block(height: number, timeMs: number, proposer: Uint8Array, txs: number): Block {
  return { header: { height, time: timeMs, proposer }, txs: new Array(txs).fill(new Uint8Array(1)) } as never;
}
function commit(height: number, round: number, flags: CommitSig['flag'][]): Commit {
  const signatures = flags.map((flag) =>
    flag === CommitFlag.absent ? { flag } : { flag, timestamp: 0, signature: new Uint8Array(64) },
  ) as CommitSig[];
  return { height, round, blockHash: new Uint8Array(32), signatures };
}
function results(events: { kind: string; runtime: number; txEvent?: boolean }[]): BlockResults {
  const toEvent = (e: (typeof events)[number]) => ({
    module: 'roothash',
    kind: e.kind,
    value: { runtime_id: key(e.runtime), round: 1n },
  });
  return {
    appHash: new Uint8Array(32),
    events: events.filter((e) => !e.txEvent).map(toEvent),
    txResults: [{ events: events.filter((e) => e.txEvent).map(toEvent), gasUsed: 0n }],
  };
}

async function scrape(m: NodeMetrics): Promise<string> {
  const address = await m.serve('127.0.0.1:0');
  try {
    const res = await fetch(`http://${address}/metrics`);
    assert.equal(res.status, 200);
    assert.equal((await fetch(`http://${address}/other`)).status, 404);
    return await res.text();
  } finally {
    await m.close();
  }
}

describe('node metrics', () => {
  it('exports consensus metrics under CometBFT and oasis-node names', async () => {
    const m = new NodeMetrics({ consensusKey: OWN });
    const all = [CommitFlag.commit, CommitFlag.commit, CommitFlag.commit];
    m.onCommit(block(1, 10_000, OTHER, 3), commit(1, 0, all), DECIDERS);
    // Block 2: we proposed it but our precommit did not make it into the commit; one validator absent.
    m.onCommit(
      block(2, 11_000, OWN, 2),
      commit(2, 1, [CommitFlag.commit, CommitFlag.nil, CommitFlag.absent]),
      DECIDERS,
    );
    m.consensus.setPeers(3);
    m.consensus.mempoolSize.set(7);
    const text = await scrape(m);
    for (const line of [
      'oasis_up 1',
      'cometbft_consensus_height 2',
      'cometbft_consensus_rounds 1',
      'cometbft_consensus_num_txs 2',
      'cometbft_consensus_total_txs 5',
      'cometbft_consensus_validators 3',
      'cometbft_consensus_missing_validators 1',
      'cometbft_consensus_block_interval_seconds_count 1',
      'cometbft_consensus_block_interval_seconds_sum 1',
      'oasis_consensus_proposed_blocks{backend="tendermint"} 1',
      'oasis_consensus_signed_blocks{backend="tendermint"} 1',
      'cometbft_p2p_peers 3',
      'oasis_p2p_peers 3',
      'cometbft_mempool_size 7',
    ]) {
      assert.ok(text.split('\n').includes(line), `missing line: ${line}`);
    }
  });

  it('a non-validator counts no proposed or signed blocks', async () => {
    const m = new NodeMetrics();
    m.onCommit(block(1, 10_000, OWN, 0), commit(1, 0, [CommitFlag.commit]), [OWN]);
    const text = await scrape(m);
    assert.match(text, /^oasis_consensus_proposed_blocks\{backend="tendermint"\} 0$/m);
    assert.match(text, /^oasis_consensus_signed_blocks\{backend="tendermint"\} 0$/m);
  });

  it('counts finalized rounds, their interval per runtime and discrepancies from roothash events', async () => {
    const m = new NodeMetrics();
    const none = commit(1, 0, []);
    m.onCommit(block(1, 1_000, OTHER, 0), none, [], results([{ kind: 'finalized', runtime: 9 }]));
    m.onCommit(
      block(2, 3_500, OTHER, 1),
      none,
      [],
      results([
        { kind: 'finalized', runtime: 9, txEvent: true },
        { kind: 'execution_discrepancy', runtime: 9, txEvent: true },
      ]),
    );
    const runtime = '09'.repeat(32);
    const text = await scrape(m);
    assert.match(text, /^oasis_finalized_rounds 2$/m);
    assert.match(text, new RegExp(`^oasis_roothash_block_interval_count\\{runtime="${runtime}"\\} 1$`, 'm'));
    assert.match(text, new RegExp(`^oasis_roothash_block_interval_sum\\{runtime="${runtime}"\\} 2.5$`, 'm'));
    assert.match(
      text,
      new RegExp(`^oasis_worker_execution_discrepancy_detected_count\\{runtime="${runtime}"\\} 1$`, 'm'),
    );
  });

  it('reads the registry size and the data directory when scraped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'metrics-'));
    try {
      writeFileSync(join(dir, 'a'), new Uint8Array(1000));
      let counts = { entities: 4, nodes: 7, runtimes: 2 };
      const m = new NodeMetrics({ registryCounts: () => counts, dataDir: dir });
      assert.match(await scrape(m), /^oasis_registry_nodes 7$/m);
      counts = { entities: 5, nodes: 8, runtimes: 2 };
      const text = await scrape(m);
      assert.match(text, /^oasis_registry_entities 5$/m);
      assert.match(text, /^oasis_registry_runtimes 2$/m);
      assert.match(text, /^oasis_node_disk_usage_bytes 1000$/m);
      if (process.platform === 'linux') {
        assert.match(text, /^oasis_node_cpu_utime_seconds [0-9.]+$/m);
        assert.match(text, /^oasis_node_mem_rss_anon_bytes [1-9][0-9]*$/m);
      }
      assert.match(text, /^process_cpu_user_seconds_total /m, "prom-client's default process metrics");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('counts and times API calls by method path, failures apart', async () => {
    const m = new NodeMetrics();
    const api = new ApiRegistry();
    api.register(unaryMethod('oasis-core.Test', 'Ok', async () => 1));
    api.observeCalls(m.apiCalls);
    // Registered after observing: observed too.
    api.register(
      unaryMethod('oasis-core.Test', 'Fail', async () => {
        throw new Error('no');
      }),
      {
        service: 'oasis-core.Test',
        name: 'Stream',
        kind: 'stream',
        public: true,
        handler: async function* () {
          yield 1;
          yield 2;
        },
      },
    );
    const ctx = { transport: 'grpc', signal: new AbortController().signal } as const;
    const call = (path: string) => api.get(path)!;
    const ok = call('/oasis-core.Test/Ok');
    assert.equal(ok.kind === 'unary' && (await ok.handler(undefined, ctx)), 1);
    const fail = call('/oasis-core.Test/Fail');
    await assert.rejects(async () => fail.kind === 'unary' && fail.handler(undefined, ctx), /no/);
    const stream = call('/oasis-core.Test/Stream');
    const items: unknown[] = [];
    if (stream.kind === 'stream') for await (const item of stream.handler(undefined, ctx)) items.push(item);
    assert.deepEqual(items, [1, 2]);
    assert.throws(() => api.observeCalls(m.apiCalls), /already observed/);
    const text = await scrape(m);
    assert.match(text, /^oasis_grpc_server_calls\{call="\/oasis-core.Test\/Ok"\} 1$/m);
    assert.match(text, /^oasis_grpc_server_calls\{call="\/oasis-core.Test\/Fail"\} 1$/m);
    assert.match(text, /^oasis_grpc_server_failures\{call="\/oasis-core.Test\/Fail"\} 1$/m);
    assert.doesNotMatch(text, /^oasis_grpc_server_failures\{call="\/oasis-core.Test\/Ok"\}/m);
    assert.match(text, /^oasis_grpc_server_latency_count\{call="\/oasis-core.Test\/Ok"\} 1$/m);
    assert.match(text, /^oasis_grpc_server_stream_writes\{call="\/oasis-core.Test\/Stream"\} 2$/m);
  });

  it('serves every oasis-core metric name we claim', async () => {
    const m = new NodeMetrics({ consensusKey: OWN, registryCounts: () => undefined, dataDir: tmpdir() });
    const names = new Set((await m.registry.getMetricsAsJSON()).map((x) => x.name));
    for (const name of OASIS_CORE_NAMES) assert.ok(names.has(name), `missing ${name}`);
  });
});

/** The oasis-node metric names (from oasis-core's docs/oasis-node/metrics.md) this node exports. */
const OASIS_CORE_NAMES = [
  'oasis_up',
  'oasis_consensus_proposed_blocks',
  'oasis_consensus_signed_blocks',
  'oasis_finalized_rounds',
  'oasis_grpc_server_calls',
  'oasis_grpc_server_latency',
  'oasis_grpc_server_stream_writes',
  'oasis_node_cpu_stime_seconds',
  'oasis_node_cpu_utime_seconds',
  'oasis_node_disk_read_bytes',
  'oasis_node_disk_usage_bytes',
  'oasis_node_disk_written_bytes',
  'oasis_node_mem_rss_anon_bytes',
  'oasis_node_mem_rss_file_bytes',
  'oasis_node_mem_rss_shmem_bytes',
  'oasis_node_mem_vm_size_bytes',
  'oasis_p2p_peers',
  'oasis_registry_entities',
  'oasis_registry_nodes',
  'oasis_registry_runtimes',
  'oasis_roothash_block_interval',
  'oasis_worker_execution_discrepancy_detected_count',
];

describe('process metrics readers', () => {
  it('reads CPU times from /proc/<pid>/stat even when the command name has spaces', () => {
    const stat = `42 (node my app) S 1 42 42 0 -1 4194560 100 0 0 0 250 75 0 0 20 0 11 0 100 1000 500`;
    assert.deepEqual(cpuTimes(stat), { user: 2.5, system: 0.75 });
    assert.equal(cpuTimes('garbage'), undefined);
  });

  it('reads kB lines of /proc/<pid>/status in bytes', () => {
    assert.equal(statusBytes('VmSize:\t  2048 kB\nRssAnon:\t     4 kB\n', 'RssAnon'), 4096);
    assert.equal(statusBytes('VmSize:\t  2048 kB\n', 'RssFile'), undefined);
  });

  it('sums the files of a directory tree', () => {
    const dir = mkdtempSync(join(tmpdir(), 'du-'));
    try {
      writeFileSync(join(dir, 'a'), new Uint8Array(10));
      const sub = mkdtempSync(join(dir, 'sub-'));
      writeFileSync(join(sub, 'b'), new Uint8Array(32));
      assert.equal(directoryBytes(dir), 42);
      assert.equal(directoryBytes(join(dir, 'missing')), 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
