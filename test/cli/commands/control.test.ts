import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { toBase64 } from '../../../src/codec/bytes.ts';
import { makeNetwork, runCommand, type TestNetwork, TestNode } from './harness.ts';

describe('control status / is-synced / wait-sync / shutdown (wire behaviour)', () => {
  let net: TestNetwork;
  let node: TestNode;
  before(async () => {
    net = await makeNetwork();
    node = new TestNode(net);
    await node.start();
  });
  after(async () => {
    await node.stop();
    net.cleanup();
  });

  it('status prints the node status as pretty JSON', async () => {
    const r = await runCommand(['control', 'status', '-a', node.address]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^\{\n {2}"/);
    const status = JSON.parse(r.stdout);
    assert.equal(status.software_version, 'oasis-ts test');
    assert.deepEqual(status.consensus, {
      status: 'ready',
      chain_context: net.chainContext,
      latest_height: node.height,
      latest_hash: 'ab'.repeat(32),
      latest_time: '2023-11-14T22:13:20Z',
    });
    assert.equal(status.identity.entity, toBase64(net.entity.publicKey));
  });

  it('is-synced exits 0 when synced and 1 when not', async () => {
    node.synced = true;
    const yes = await runCommand(['control', 'is-synced', '-a', node.address]);
    assert.deepEqual([yes.code, yes.stdout], [0, 'node completed initial syncing\n']);
    node.synced = false;
    const no = await runCommand(['control', 'is-synced', '--address', node.address]);
    assert.deepEqual([no.code, no.stdout], [1, 'node has not completed initial syncing\n']);
    node.synced = true;
  });

  it('wait-sync returns once the node says so; shutdown --wait asks the node to wait', async () => {
    const w = await runCommand(['control', 'wait-sync', '-a', node.address]);
    assert.equal(w.code, 0, w.stderr);
    const s = await runCommand(['control', 'shutdown', '--wait', '-a', node.address]);
    assert.equal(s.code, 0, s.stderr);
    assert.deepEqual(node.shutdownRequests, [true]);
  });

  it('an unreachable node exits 128 (oasis-node), a bad --address exits 1', async () => {
    const gone = `unix:${join(net.dir, 'gone.sock')}`;
    for (const cmd of ['status', 'is-synced']) {
      const r = await runCommand(['control', cmd, '-a', gone]);
      assert.equal(r.code, 128, `${cmd}: ${r.stderr}`);
      assert.match(r.stderr, /^error: failed to query (node|sync) status: cannot reach a node at unix:/);
      assert.doesNotMatch(r.stderr, /Resolution note|Last error/, 'no grpc-js internals');
      assert.equal(r.stdout, '');
    }
    const bad = await runCommand(['control', 'status', '-a', 'localhost:42']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /--address: "localhost:42" is not a UNIX socket address/);
  });

  it('upgrade-binary and cancel-upgrade send the descriptor file as oasis-node does, with its exit statuses', async () => {
    const file = join(net.dir, 'descriptor.json');
    const d = {
      v: 1,
      handler: 'empty',
      target: {
        consensus_protocol: { major: 7 },
        runtime_host_protocol: { major: 5 },
        runtime_committee_protocol: { major: 4, minor: 1 },
      },
      epoch: 42,
    };
    writeFileSync(file, JSON.stringify(d));
    const up = await runCommand(['control', 'upgrade-binary', file, '-a', node.address]);
    assert.equal(up.code, 0, up.stderr);
    const [pending] = node.upgrades.pendingUpgrades();
    assert.equal(pending?.descriptor.handler, 'empty');
    assert.equal(pending?.descriptor.epoch, 42n);
    assert.deepEqual(pending?.descriptor.target.runtime_committee_protocol, { major: 4, minor: 1, patch: 0 });
    const again = await runCommand(['control', 'upgrade-binary', file, '-a', node.address]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already pending/);
    const badFile = join(net.dir, 'bad-descriptor.json');
    writeFileSync(badFile, JSON.stringify({ ...d, epoch: 0 }));
    const bad = await runCommand(['control', 'upgrade-binary', badFile, '-a', node.address]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /not valid: invalid epoch 0/);
    assert.equal(node.upgrades.pendingUpgrades().length, 1);
    const cancel = await runCommand(['control', 'cancel-upgrade', file, '-a', node.address]);
    assert.equal(cancel.code, 0, cancel.stderr);
    assert.deepEqual(node.upgrades.pendingUpgrades(), []);
    const missing = await runCommand([
      'control',
      'cancel-upgrade',
      join(net.dir, 'nope.json'),
      '-a',
      node.address,
    ]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /nope\.json/);
  });
});
