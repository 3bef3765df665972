/**
 * A network upgrade over real processes: on a two-validator local network an upgrade proposal (to
 * consensus protocol 8, handler `__e2e-test-valid`) is submitted and voted through our CLI and passes;
 * every node stops cleanly before the first block of the upgrade epoch, naming the upgrade and what to
 * run; the old software refuses to start on the halted data directory; restarted as the new software
 * (`OASIS_TS_CONSENSUS_PROTOCOL_VERSION=8.0.0`) the nodes continue the same chain from there, the
 * handler having run exactly once (max_tx_size + 1); and the old software still refuses afterwards.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as oasis from '@oasisprotocol/client';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { NodeClient } from '../../src/api/grpc_client.ts';
import type { LocalnetManifest, LocalnetNode } from '../../src/localnet/manifest.ts';
import { prepareLocalnet } from '../../src/localnet/prepare.ts';
import { LocalnetProcesses } from '../../src/localnet/processes.ts';
import { CONSENSUS_PROTOCOL_VERSION_ENV } from '../../src/version.ts';
import { runCli } from '../cli/run_cli.ts';
import {
  type CliNetwork,
  proposeUpgradeWithCli,
  setGovernanceParams,
  voteYesWithCli,
  waitClosed,
} from './governance_cli.ts';
import { waitUntil } from './wait_until.ts';

(globalThis as Record<string, unknown>).XMLHttpRequest ??= createRequire(import.meta.url)('xhr2');

const NEW_SOFTWARE = { [CONSENSUS_PROTOCOL_VERSION_ENV]: '8.0.0' };

describe('a governance upgrade on a localnet', { timeout: 300_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'oasis-ts-upgrade-'));
  const procs = new LocalnetProcesses();
  const exits = new Map<string, number | null>();
  let net: LocalnetManifest;
  let nic: oasis.client.NodeInternal;

  before(async () => {
    // Epochs of about 4-6 s: room for the CLI's votes and for its proposal to land in time.
    net = await prepareLocalnet({ dir, validators: 2, timeoutCommitMs: 200, epochInterval: 20 });
    setGovernanceParams(net, {
      voting_period: 5n,
      upgrade_min_epoch_diff: 8n,
      upgrade_cancel_min_epoch_diff: 8n,
    });
    // Stopping nodes serve their last block for 5 s + 1 s (the default waits a minute more).
    for (const n of net.nodes) {
      const config = parseYaml(readFileSync(n.config, 'utf8')) as Record<string, unknown>;
      config.consensus = { upgrade_stop_delay: '1s' };
      writeFileSync(n.config, toYaml(config));
    }
    procs.onUnexpectedExit = (name, code) => exits.set(name, code);
    for (const n of net.nodes) procs.start(n);
    await procs.waitHeight(net.nodes[0]!, 2, 60_000);
    nic = new oasis.client.NodeInternal(net.nodes[0]!.grpc_web);
  });

  after(async () => {
    await procs.stopAll('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  const logOf = (n: LocalnetNode) => readFileSync(join(n.data_dir, 'node.log'), 'utf8');
  const maxTxSize = async (client: NodeClient, height: number) => {
    const doc = (await client.call('oasis-core.Consensus', 'StateToGenesis', height)) as {
      consensus: { params: { max_tx_size: number | bigint } };
    };
    return Number(doc.consensus.params.max_tx_size);
  };

  /** Starts `n` as the old software, waits for it to exit, returns its exit code and what it logged. */
  async function oldSoftwareRefuses(n: LocalnetNode): Promise<string> {
    exits.delete(n.name);
    const logged = logOf(n).length;
    procs.start(n);
    await waitUntil(`${n.name} (old software) to exit`, 60_000, async () => exits.has(n.name));
    assert.notEqual(exits.get(n.name), 0, 'the old software fails to start');
    return logOf(n).slice(logged);
  }

  /** `control upgrade-binary` / `cancel-upgrade` on one node: scheduled, listed, refused when malformed, cancelled. */
  async function operatorDescriptorsWithCli(n: LocalnetNode): Promise<void> {
    const file = join(dir, 'operator-upgrade.json');
    const d = {
      v: 1,
      handler: 'empty',
      target: {
        consensus_protocol: { major: 7 },
        runtime_host_protocol: { major: 5 },
        runtime_committee_protocol: { major: 4 },
      },
      epoch: 1_000_000,
    };
    writeFileSync(file, JSON.stringify(d));
    const socket = ['-a', `unix:${n.internal_socket}`];
    const pendingEpochs = async () => {
      const status = await runCli(['control', 'status', ...socket]);
      assert.equal(status.code, 0, status.stderr);
      const parsed = JSON.parse(status.stdout) as {
        pending_upgrades?: Array<{ descriptor: { epoch: number } }>;
      };
      return (parsed.pending_upgrades ?? []).map((pu) => pu.descriptor.epoch);
    };
    const up = await runCli(['control', 'upgrade-binary', file, ...socket]);
    assert.equal(up.code, 0, up.stderr);
    assert.deepEqual(await pendingEpochs(), [1_000_000]);
    const again = await runCli(['control', 'upgrade-binary', file, ...socket]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already pending/);
    writeFileSync(join(dir, 'bad-upgrade.json'), JSON.stringify({ ...d, handler: 'x' }));
    const bad = await runCli(['control', 'upgrade-binary', join(dir, 'bad-upgrade.json'), ...socket]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /not valid: handler must be 3 to 32 bytes/);
    const cancel = await runCli(['control', 'cancel-upgrade', file, ...socket]);
    assert.equal(cancel.code, 0, cancel.stderr);
    assert.deepEqual(await pendingEpochs(), []);
  }

  it('halts every node at the epoch; the new software continues the chain, the old one refuses', async () => {
    await operatorDescriptorsWithCli(net.nodes[0]!);
    // Far enough ahead for the CLI submission to land while it is still 8 epochs away.
    const epoch = BigInt(await nic.beaconGetEpoch(0)) + 12n;
    const descriptorFile = join(dir, 'upgrade.json');
    writeFileSync(
      descriptorFile,
      JSON.stringify({
        v: 1,
        handler: '__e2e-test-valid',
        target: {
          consensus_protocol: { major: 8 },
          runtime_host_protocol: { major: 5 },
          runtime_committee_protocol: { major: 4 },
        },
        epoch: Number(epoch),
      }),
    );
    const cli: CliNetwork = { dir, net, nic };
    await proposeUpgradeWithCli(cli, 0, descriptorFile);
    const proposals = await nic.governanceProposals(0);
    const id = BigInt(proposals[proposals.length - 1]!.id);
    await Promise.all([0, 1].map((i) => voteYesWithCli(cli, i, id)));
    const passed = await waitClosed(nic, id, oasis.governance.STATE_ACTIVE);
    assert.equal(passed.state, oasis.governance.STATE_PASSED);
    const pending = (await nic.nodeControllerGetStatus()).pending_upgrades ?? [];
    assert.deepEqual(
      pending.map((pu) => [pu.descriptor.handler, Number(pu.descriptor.epoch), Number(pu.upgrade_height)]),
      [['__e2e-test-valid', Number(epoch), 0]],
    );
    const first = new NodeClient(`unix:${net.nodes[0]!.internal_socket}`);
    const before = await maxTxSize(first, 0).finally(() => first.close());

    // Every node stops on its own, cleanly, saying why and what to run.
    await waitUntil('every node to stop for the upgrade', 180_000, async () =>
      net.nodes.every((n) => exits.has(n.name)),
    );
    const heights = net.nodes.map((n) => {
      assert.equal(exits.get(n.name), 0, `${n.name} exits cleanly`);
      const line = logOf(n)
        .split('\n')
        .find((l) => l.includes('reached at epoch'));
      assert.ok(line, `${n.name} logs the upgrade`);
      const record = JSON.parse(line) as { msg: string; upgrade_height: number };
      assert.match(
        record.msg,
        new RegExp(
          `upgrade "__e2e-test-valid" \\(consensus protocol 8\\.0\\.0\\) reached at epoch ${epoch}.*runs consensus protocol 7\\.0\\.0\\. Start the upgraded software \\(consensus protocol 8\\.x`,
        ),
      );
      return Number(record.upgrade_height);
    });
    assert.equal(new Set(heights).size, 1, 'all nodes stop at the same height');
    const lastOld = heights[0]!;

    // The old software refuses the halted data directory.
    assert.match(
      await oldSoftwareRefuses(net.nodes[0]!),
      /reached at epoch .*runs consensus protocol 7\.0\.0/,
    );

    // The new software continues from there, on every node.
    for (const n of net.nodes) {
      exits.delete(n.name);
      procs.start(n, NEW_SOFTWARE);
    }
    for (const n of net.nodes) await procs.waitHeight(n, lastOld + 5, 120_000);
    const hashes = await Promise.all(net.nodes.map((n) => procs.blockHash(n, lastOld + 3)));
    assert.equal(new Set(hashes).size, 1, 'one chain');
    const upgraded = new NodeClient(`unix:${net.nodes[1]!.internal_socket}`);
    try {
      assert.equal(await maxTxSize(upgraded, lastOld), before);
      assert.equal(
        await maxTxSize(upgraded, lastOld + 1),
        before + 1,
        'the handler ran in the upgrade block',
      );
      assert.equal(await maxTxSize(upgraded, lastOld + 4), before + 1, 'and only once');
      const status = (await upgraded.call('oasis-core.NodeController', 'GetStatus')) as {
        pending_upgrades?: unknown[];
      };
      assert.equal(status.pending_upgrades, undefined);
    } finally {
      upgraded.close();
    }
    assert.deepEqual((await nic.governancePendingUpgrades(0)) ?? [], [], 'governance dropped it');

    // Once upgraded, the old software still refuses the data directory.
    await procs.stop(net.nodes[1]!.name);
    assert.match(await oldSoftwareRefuses(net.nodes[1]!), /went through upgrade "__e2e-test-valid"/);
  });
});
