/**
 * Pruning on a real network: two of four validators run with `consensus.prune: keep_n` at the smallest
 * window. They keep up with the others, report a retained height above genesis, refuse queries below it
 * with consensus/3, and a node joining late still catches up — from the validators that keep everything —
 * while the pruned ones tell it clearly that they no longer have the early blocks.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse as parseYaml, stringify as toYaml } from 'yaml';
import { NodeClient } from '../../src/api/grpc_client.ts';
import { MIN_PRUNE_NUM_KEPT } from '../../src/consensus/bft/prune_options.ts';
import { CodedError } from '../../src/errors.ts';
import type { LocalnetManifest, LocalnetNode } from '../../src/localnet/manifest.ts';
import { prepareLocalnet } from '../../src/localnet/prepare.ts';
import { LocalnetProcesses } from '../../src/localnet/processes.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const PRUNED = [0, 1];

function enablePruning(node: LocalnetNode): void {
  const config = parseYaml(readFileSync(node.config, 'utf8')) as Record<string, unknown>;
  config.consensus = { prune: { strategy: 'keep_n', num_kept: MIN_PRUNE_NUM_KEPT, interval: '1s' } };
  writeFileSync(node.config, toYaml(config), { mode: 0o600 });
}

describe('a network with pruned validators (real processes)', { timeout: 300_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'oasis-ts-e2e-prune-'));
  const procs = new LocalnetProcesses();
  const clients: NodeClient[] = [];
  let net: LocalnetManifest;
  const v = (i: number) => net.nodes[i]!;
  const api = (node: LocalnetNode) => {
    const c = new NodeClient(`unix:${node.internal_socket}`);
    clients.push(c);
    return c;
  };
  const retainedOf = async (node: LocalnetNode) =>
    Number(await api(node).call('oasis-core.Consensus', 'GetLastRetainedHeight', undefined, 5_000));

  before(async () => {
    net = await prepareLocalnet({ dir, validators: 4, clients: 1, timeoutCommitMs: 50 });
    for (const i of PRUNED) enablePruning(v(i));
    for (let i = 0; i < 4; i++) procs.start(v(i));
  });

  after(async () => {
    for (const c of clients) c.close();
    await procs.stopAll('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('pruned validators keep up and report a retained height above genesis', async () => {
    const deadline = Date.now() + 120_000;
    let retained = 1;
    while (Date.now() < deadline) {
      retained = Math.min(...(await Promise.all(PRUNED.map((i) => retainedOf(v(i)).catch(() => 1)))));
      if (retained > 10) break;
      await sleep(500);
    }
    assert.ok(retained > 10, `pruned validators still retain from ${retained}`);
    const heights = await Promise.all([0, 1, 2, 3].map(async (i) => (await procs.height(v(i))) ?? 0));
    const top = Math.max(...heights);
    for (const i of PRUNED) assert.ok(heights[i]! >= top - 5, `validator ${i} at ${heights[i]} of ${top}`);
    assert.equal(await retainedOf(v(2)), 1, 'validators without pruning keep everything');
    const status = (await api(v(0)).call('oasis-core.Consensus', 'GetStatus', undefined, 5_000)) as {
      last_retained_height: number;
      last_retained_hash: Uint8Array;
      genesis_hash: Uint8Array;
    };
    assert.ok(Number(status.last_retained_height) >= retained);
    assert.equal(status.last_retained_hash.length, 32);
    assert.equal(status.genesis_hash.length, 32, 'the genesis hash outlives the genesis block');
  });

  it('refuses queries below the retained height with consensus/3 and serves those above', async () => {
    const c = api(v(0));
    const retained = await retainedOf(v(0));
    const refused = (e: unknown) => CodedError.is(e, 'consensus', 3) && /pruned/.test((e as Error).message);
    await assert.rejects(c.call('oasis-core.Consensus', 'GetBlock', retained - 1, 5_000), refused);
    await assert.rejects(c.call('oasis-core.Staking', 'TotalSupply', retained - 1, 5_000), refused);
    await assert.rejects(c.call('oasis-core.Staking', 'GetEvents', retained - 1, 5_000), refused);
    const block = (await c.call('oasis-core.Consensus', 'GetBlock', retained + 1, 5_000)) as {
      height: number;
    };
    assert.equal(Number(block.height), retained + 1);
    await c.call('oasis-core.Staking', 'TotalSupply', retained + 1, 5_000);
  });

  it('lets a node joining late catch up from validators that keep the history, told why the others refuse', async () => {
    const client = net.nodes.find((n) => n.name === 'client-0')!;
    procs.start(client);
    const target = Math.max(...(await Promise.all([2, 3].map(async (i) => (await procs.height(v(i))) ?? 0))));
    await procs.waitHeight(client, target, 150_000);
    const log = readFileSync(join(client.data_dir, 'node.log'), 'utf8');
    assert.match(log, /peer has pruned the height we need/);
  });
});
