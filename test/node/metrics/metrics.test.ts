import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NodeMetrics } from '../../../src/node/metrics/metrics.ts';

describe('node metrics', () => {
  it('serves height, transactions and block intervals in Prometheus text format', async () => {
    const m = new NodeMetrics();
    m.onBlock(1, 0, 3, 10_000);
    m.onBlock(2, 1, 2, 11_000);
    m.peers.set(3);
    const address = await m.serve('127.0.0.1:0');
    try {
      const text = await (await fetch(`http://${address}/metrics`)).text();
      assert.match(text, /^oasis_ts_consensus_height 2$/m);
      assert.match(text, /^oasis_ts_consensus_round 1$/m);
      assert.match(text, /^oasis_ts_committed_transactions_total 5$/m);
      assert.match(text, /^oasis_ts_p2p_peers 3$/m);
      assert.match(text, /^oasis_ts_block_interval_seconds_count 1$/m);
      assert.match(text, /^oasis_ts_block_interval_seconds_sum 1$/m);
      assert.equal((await fetch(`http://${address}/other`)).status, 404);
    } finally {
      await m.close();
    }
  });
});
