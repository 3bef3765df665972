import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fromHex, toHex } from '../../../src/codec/bytes.ts';
import { loadNodeIdentity } from '../../../src/crypto/signer/node_identity.ts';
import { readGenesisFile } from '../../../src/genesis/document.ts';
import { prepareLocalnet } from '../../../src/localnet/prepare.ts';
import { NodeMetrics } from '../../../src/node/metrics/metrics.ts';
import { CommitteeKind } from '../../../src/services/scheduler/api/committee.ts';
import { SchedulerStateReader } from '../../../src/services/scheduler/state.ts';
import { LocalnetChain } from '../../localnet/chain.ts';

const RUNTIME_ID = `80${'0'.repeat(62)}`;

/** The value of `name{runtime="…"}` in a scrape, or undefined when the series is absent. */
function sample(text: string, name: string): number | undefined {
  const m = new RegExp(`^${name}\\{runtime="${RUNTIME_ID}"\\} (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : undefined;
}

describe('compute worker metrics', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oasis-ts-worker-metrics-'));
  let chain: LocalnetChain;
  let computeDirs: string[];
  before(async () => {
    const net = await prepareLocalnet({
      dir,
      validators: 1,
      compute: 3,
      runtime: 'accounts',
      epochInterval: 4,
    });
    computeDirs = net.nodes.filter((n) => n.roles.includes('compute')).map((n) => n.data_dir);
    chain = new LocalnetChain(readGenesisFile(net.genesis_file));
    chain.advanceToEpoch(1);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('tell each compute node its executor role and the epoch, as the committee in state says', async () => {
    const committee = new SchedulerStateReader(chain.state).committee(
      CommitteeKind.computeExecutor,
      fromHex(RUNTIME_ID),
    )!;
    const roleOf = (id: Uint8Array) => committee.members.find((m) => toHex(m.public_key) === toHex(id))?.role;
    let workers = 0;
    let backups = 0;
    for (const d of computeDirs) {
      const nodeId = loadNodeIdentity(d).node.publicKey;
      const m = new NodeMetrics({
        worker: { nodeId, runtimes: [RUNTIME_ID], latestState: () => chain.state },
      });
      const text = await m.registry.metrics();
      assert.equal(sample(text, 'oasis_worker_epoch_number'), 1);
      const isWorker = sample(text, 'oasis_worker_executor_is_worker')!;
      const isBackup = sample(text, 'oasis_worker_executor_is_backup_worker')!;
      assert.equal(isWorker, roleOf(nodeId) === 1 ? 1 : 0);
      assert.equal(isBackup, roleOf(nodeId) === 2 ? 1 : 0);
      workers += isWorker;
      backups += isBackup;
    }
    assert.deepEqual([workers, backups], [2, 1], 'two workers and a backup, as the runtime asks');
  });

  it('export nothing before the first block, and no gauges on a node hosting no runtime', async () => {
    const nodeId = new Uint8Array(32);
    const early = new NodeMetrics({
      worker: { nodeId, runtimes: [RUNTIME_ID], latestState: () => undefined },
    });
    assert.equal(sample(await early.registry.metrics(), 'oasis_worker_executor_is_worker'), undefined);
    const validator = new NodeMetrics({ worker: { nodeId, runtimes: [], latestState: () => chain.state } });
    assert.doesNotMatch(await validator.registry.metrics(), /oasis_worker_executor_is_worker/);
  });
});
