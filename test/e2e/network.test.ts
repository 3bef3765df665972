/**
 * A real network on 127.0.0.1: four validator processes and a late-joining follower. Validators are
 * killed with SIGKILL and restarted; the chain goes on with three of four, halts safely with two, resumes
 * when a third returns, and every node ends up agreeing on every block hash.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { LocalnetManifest } from '../../src/localnet/manifest.ts';
import { prepareLocalnet } from '../../src/localnet/prepare.ts';
import { LocalnetProcesses } from '../../src/localnet/processes.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('four validators over libp2p (real processes)', { timeout: 300_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'oasis-ts-e2e-'));
  const procs = new LocalnetProcesses();
  let net: LocalnetManifest;
  const v = (i: number) => net.nodes[i]!;
  const heights = async (idx: number[]) =>
    Promise.all(idx.map(async (i) => (await procs.height(v(i))) ?? -1));
  const top = async (idx: number[]) => Math.max(...(await heights(idx)));

  before(async () => {
    net = await prepareLocalnet({ dir, validators: 4, clients: 1, timeoutCommitMs: 200 });
    for (let i = 0; i < 4; i++) procs.start(v(i));
    await Promise.all([0, 1, 2, 3].map((i) => procs.waitHeight(v(i), 3, 90_000)));
  });

  after(async () => {
    await procs.stopAll('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('goes on with three validators after one is killed, and the killed one catches up', async () => {
    await procs.stop(v(3).name, 'SIGKILL');
    const start = await top([0, 1, 2]);
    await Promise.all([0, 1, 2].map((i) => procs.waitHeight(v(i), start + 3, 60_000)));
    procs.start(v(3));
    const target = await top([0, 1, 2]);
    await procs.waitHeight(v(3), target, 60_000);
  });

  it('halts safely with two of four, and resumes when a third returns', async () => {
    await procs.stop(v(2).name, 'SIGKILL');
    await procs.stop(v(3).name, 'SIGKILL');
    await sleep(1_000);
    const halted = await top([0, 1]);
    await sleep(3_000);
    assert.ok((await top([0, 1])) <= halted + 1, 'no progress without two thirds of the power');
    procs.start(v(2));
    await Promise.all([0, 1, 2].map((i) => procs.waitHeight(v(i), halted + 3, 90_000)));
    procs.start(v(3));
  });

  it('lets a node that joins late sync every block', async () => {
    const client = net.nodes.find((n) => n.name === 'client-0')!;
    procs.start(client);
    const target = await top([0, 1, 2]);
    await procs.waitHeight(client, target, 90_000);
  });

  it('ends with every node agreeing on every block hash', async () => {
    await procs.waitHeight(v(3), await top([0, 1, 2]), 60_000);
    const all = net.nodes;
    const common = Math.min(...(await Promise.all(all.map(async (n) => (await procs.height(n)) ?? 0))));
    assert.ok(common >= 10, `expected a real chain, got ${common} blocks`);
    for (let h = 1; h <= common; h++) {
      const hashes = new Set(await Promise.all(all.map((n) => procs.blockHash(n, h))));
      assert.equal(hashes.size, 1, `nodes disagree at height ${h}`);
    }
  });
});
