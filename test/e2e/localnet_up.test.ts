/**
 * `localnet up` as a newcomer runs it (the README's main job, at a small size): it creates a network, shows
 * progress while the nodes start, prints the URLs to use (dashboard, metrics), serves them, stops cleanly,
 * and resumes the same network when run again.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { readManifest } from '../../src/localnet/manifest.ts';
import { localnetUp } from '../../src/localnet/up.ts';

describe('localnet up', { timeout: 180_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'oasis-ts-localnet-up-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs the network until `whileUp` is done; returns what it printed. */
  async function up(whileUp: () => Promise<void>): Promise<string[]> {
    const lines: string[] = [];
    let release!: () => void;
    const until = new Promise<void>((resolve) => (release = resolve));
    const running = localnetUp({
      dir,
      validators: 1,
      timeoutCommitMs: 200,
      say: (l) => lines.push(l),
      until,
    });
    const deadline = Date.now() + 120_000;
    while (!lines.some((l) => l.startsWith('blocks are being produced'))) {
      if (Date.now() > deadline) throw new Error(`no blocks:\n${lines.join('\n')}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    try {
      await whileUp();
    } finally {
      release();
      await running;
    }
    return lines;
  }

  it('creates a network, prints its URLs, serves them and stops', async () => {
    const lines = await up(async () => {
      const m = readManifest(dir)!;
      assert.ok(m.nodes[0]!.pid > 0, 'the manifest names the running process');
      const metrics = await (await fetch(m.nodes[0]!.metrics!)).text();
      assert.match(metrics, /^oasis_up 1$/m);
      const overview = (await (await fetch(`${m.dashboard}api/overview`)).json()) as { height: number };
      assert.ok(overview.height >= 2);
    });
    const text = lines.join('\n');
    assert.match(text, /^creating a local network of 1 validators in /m);
    assert.match(text, /^chain context [0-9a-f]{64}$/m);
    assert.match(text, /^validator-0: pid \d+, gRPC-web http:\/\/127\.0\.0\.1:\d+, .* metrics http:/m);
    assert.match(text, /^dashboard: http:\/\/127\.0\.0\.1:\d+\/$/m);
    assert.equal(lines.at(-1), 'stopped');
    assert.equal(readManifest(dir)!.nodes[0]!.pid, 0, 'stopped nodes are marked so');
  });

  it('resumes the same network when run again', async () => {
    const before = readManifest(dir)!.chain_context;
    const lines = await up(async () => {});
    assert.match(lines[0]!, /^resuming the local network in /);
    assert.equal(readManifest(dir)!.chain_context, before);
  });
});
