import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCli } from '../run_cli.ts';

describe('oasis-ts node (flags)', () => {
  it('refuses --metrics.address without a metrics mode, saying which flag turns metrics on', async () => {
    const r = await runCli(['node', '--datadir', 'unused', '--metrics.address', '127.0.0.1:3000']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /--metrics\.address: metrics are off; add --metrics\.mode pull/);
  });

  it('refuses a port that is not a number', async () => {
    for (const port of ['abc', '70000', '-1']) {
      const r = await runCli(['node', '--datadir', 'unused', '--p2p.port', port]);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /--p2p\.port: expected a port number \(0-65535\), got "/);
    }
  });

  it('refuses a metrics mode oasis-node does not have', async () => {
    const r = await runCli(['node', '--datadir', 'unused', '--metrics.mode', 'push']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /metrics\.mode: expected one of none, pull, got "push"/);
  });

  it('refuses a prune window too short for the engine, naming the minimum', async () => {
    const r = await runCli([
      'node',
      '--datadir',
      'unused',
      '--consensus.prune.strategy',
      'keep_n',
      '--consensus.prune.num_kept',
      '5',
    ]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /consensus\.prune\.num_kept: keep_n must keep at least \d+ heights/);
  });
});
