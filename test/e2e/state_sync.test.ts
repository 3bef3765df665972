/**
 * State sync on a real network: validators write a checkpoint every 20 heights; a fresh node given a trust
 * root (a block hash another node reports) restores the newest checkpoint from its peers and follows the
 * chain from there, with the network's state root. One validator's checkpoint chunks are corrupted on its
 * disk: the fresh node detects them, penalises that peer and completes from the others. A node given a
 * wrong trust hash stops, saying so.
 */
import assert from 'node:assert/strict';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { NodeClient } from '../../src/api/grpc_client.ts';
import { toHex } from '../../src/codec/bytes.ts';
import { loadOrGenerateNodeIdentity } from '../../src/crypto/signer/node_identity.ts';
import type { LocalnetManifest, LocalnetNode } from '../../src/localnet/manifest.ts';
import { prepareLocalnet } from '../../src/localnet/prepare.ts';
import { LocalnetProcesses } from '../../src/localnet/processes.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const INTERVAL = 10;
const CORRUPT = 3;

function enableStateSync(node: LocalnetNode, trust: { height: number; hash: string }): void {
  const config = parseYaml(readFileSync(node.config, 'utf8')) as Record<string, unknown>;
  config.consensus = {
    ...((config.consensus as object) ?? {}),
    state_sync: { enabled: true },
    light_client: { trust: { height: trust.height, hash: trust.hash, period: '1h' } },
  };
  writeFileSync(node.config, toYaml(config), { mode: 0o600 });
}

/** Flips one byte in every chunk file of the node's published checkpoints not yet corrupted. */
function corruptChunks(node: LocalnetNode, done: Set<string>): void {
  const dir = join(node.data_dir, 'state-checkpoints');
  if (!existsSync(dir)) return;
  for (const version of readdirSync(dir).filter((n) => /^\d+$/.test(n))) {
    const chunks = join(dir, version, 'chunks');
    if (!existsSync(chunks)) continue;
    for (const index of readdirSync(chunks)) {
      const file = join(chunks, index);
      if (done.has(file)) continue;
      const fd = openSync(file, 'r+');
      writeSync(fd, Uint8Array.of(0xff), 0, 1, 8);
      closeSync(fd);
      done.add(file);
    }
  }
}

describe('state sync from checkpoints (real processes)', { timeout: 300_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'oasis-ts-e2e-statesync-'));
  const procs = new LocalnetProcesses();
  const clients: NodeClient[] = [];
  let net: LocalnetManifest;
  let corrupter: NodeJS.Timeout | undefined;
  const v = (i: number) => net.nodes[i]!;
  const api = (node: LocalnetNode) => {
    const c = new NodeClient(`unix:${node.internal_socket}`);
    clients.push(c);
    return c;
  };
  const block = async (node: LocalnetNode, height: number) =>
    (await api(node).call('oasis-core.Consensus', 'GetBlock', height, 5_000)) as {
      hash: Uint8Array;
      state_root: { hash: Uint8Array };
    };

  before(async () => {
    net = await prepareLocalnet({
      dir,
      validators: 4,
      clients: 2,
      timeoutCommitMs: 50,
      accounts: 200,
      checkpoints: { interval: INTERVAL, numKept: 2, chunkSize: 1024 },
    });
    for (let i = 0; i < 4; i++) procs.start(v(i));
    const corrupted = new Set<string>();
    corrupter = setInterval(() => corruptChunks(v(CORRUPT), corrupted), 100);
  });

  after(async () => {
    clearInterval(corrupter);
    for (const c of clients) c.close();
    await procs.stopAll('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('validators report the checkpoint heights they can serve', async () => {
    await procs.waitHeight(v(0), 2 * INTERVAL + 2, 120_000);
    const deadline = Date.now() + 30_000;
    let heights: number[] = [];
    while (Date.now() < deadline) {
      const status = (await api(v(0)).call('oasis-core.NodeController', 'GetStatus', undefined, 5_000)) as {
        consensus: { checkpoint_heights: number[] };
      };
      heights = status.consensus.checkpoint_heights.map(Number);
      if (heights.some((h) => h > 1)) break;
      await sleep(300);
    }
    assert.ok(heights.includes(1), `the initial-height checkpoint is kept: ${heights}`);
    assert.ok(
      heights.some((h) => h > 1 && (h - 1) % INTERVAL === 0),
      `checkpoint heights ${heights}`,
    );
  });

  it('a node given a wrong trust hash stops and says why', async () => {
    const fresh = net.nodes.find((n) => n.name === 'client-0')!;
    const height = (await procs.height(v(0)))! - 2;
    enableStateSync(fresh, { height, hash: 'ab'.repeat(32) });
    procs.start(fresh);
    const deadline = Date.now() + 60_000;
    let log = '';
    while (Date.now() < deadline) {
      log = readFileSync(join(fresh.data_dir, 'node.log'), 'utf8');
      if (/check consensus\.light_client\.trust/.test(log)) break;
      await sleep(300);
    }
    assert.match(
      log,
      new RegExp(
        `block ${height} has hash [0-9a-f]{64}, trusted ${'ab'.repeat(32)}: check consensus.light_client.trust`,
      ),
    );
    await procs.stop('client-0');
  });

  it('a fresh node joins by state sync, rejecting the corrupted peer, and has the network state root', async () => {
    const fresh = net.nodes.find((n) => n.name === 'client-1')!;
    const trustHeight = (await procs.height(v(0)))! - 2;
    const trust = { height: trustHeight, hash: toHex((await block(v(1), trustHeight)).hash) };
    // The newest checkpoint must be at or above the trust height − 1: wait for the next one.
    const next = 1 + Math.ceil((trustHeight - 2) / INTERVAL) * INTERVAL;
    await procs.waitHeight(v(0), next + 3, 120_000);
    await sleep(1_500);
    enableStateSync(fresh, trust);
    const started = Date.now();
    procs.start(fresh);
    const deadline = Date.now() + 150_000;
    let log = '';
    while (!/state sync: state restored/.test(log)) {
      assert.ok(Date.now() < deadline, 'state sync did not finish in time');
      await sleep(300);
      log = readFileSync(join(fresh.data_dir, 'node.log'), 'utf8');
    }
    const restored = Number(/"height":(\d+),"entries"/.exec(log)?.[1]);
    assert.ok(restored >= next, `restored height ${restored}, expected >= ${next}`);
    const target = Math.max(restored + 3, (await procs.height(v(0)))!);
    await procs.waitHeight(fresh, target, 120_000);
    const joinMs = Date.now() - started;
    const retained = Number(
      await api(fresh).call('oasis-core.Consensus', 'GetLastRetainedHeight', undefined, 5_000),
    );
    assert.ok(retained > restored, `the fresh node replayed from ${retained}, not from its checkpoint`);
    // The corrupted validator was caught and dropped; the sync completed from the others.
    const corruptKey = toHex(loadOrGenerateNodeIdentity(v(CORRUPT).data_dir).p2p.publicKey);
    for (const l of log
      .split('\n')
      .filter((l) => /state sync/.test(l))
      .slice(0, 12))
      console.log(l.slice(0, 300));
    const rejected = log.split('\n').filter((line) => line.includes('bad chunk rejected'));
    assert.ok(rejected.length > 0, 'a corrupted chunk was detected');
    assert.ok(
      rejected.every((line) => line.includes(corruptKey)),
      'only the corrupted validator was rejected',
    );
    await procs.waitHeight(v(0), target, 30_000);
    const [mine, theirs] = await Promise.all([block(fresh, target), block(v(0), target)]);
    assert.equal(mine.state_root.hash.length, 32);
    assert.deepEqual(mine.state_root, theirs.state_root, 'state root equals the network');
    assert.deepEqual(mine.hash, theirs.hash);
    console.log(`state sync join: ${joinMs} ms to reach height ${target} (restored ${restored})`);
  });
});
