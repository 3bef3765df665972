/**
 * The test-only P2P fault file over real libp2p hosts on 127.0.0.1: listing a peer cuts the link (its
 * connection is closed and it cannot come back), emptying the list heals it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { P2pFaultFile } from '../../src/p2p/fault_file.ts';
import { Libp2pHost } from '../../src/p2p/libp2p_host.ts';

const seed = (n: number) => new Uint8Array(32).fill(n);

async function waitFor(what: string, cond: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('P2P fault file', () => {
  it('cuts the link to a listed peer and heals it when the list is emptied', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'oasis-ts-faults-'));
    const path = join(dir, 'p2p-faults.json');
    const faults = new P2pFaultFile(path);
    const a = new Libp2pHost({
      p2pSeed: seed(21),
      listen: ['/ip4/127.0.0.1/tcp/0'],
      allowPeer: (peer) => !faults.blocks(peer),
    });
    const b = new Libp2pHost({ p2pSeed: seed(22), listen: ['/ip4/127.0.0.1/tcp/0'] });
    await Promise.all([a.start(), b.start()]);
    faults.start((peer) => a.disconnect(peer));
    try {
      const address = a.listenAddresses()[0]!;
      await b.connect(address);
      await waitFor('connected', () => a.peers().includes(b.self));

      writeFileSync(path, JSON.stringify({ blocked: [b.self] }));
      await waitFor('cut', () => !a.peers().includes(b.self) && !b.peers().includes(a.self));
      await b.connect(address).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 500));
      assert.ok(!a.peers().includes(b.self), 'a blocked peer cannot come back');

      writeFileSync(path, JSON.stringify({ blocked: [] }));
      await new Promise((r) => setTimeout(r, 500));
      await b.connect(address);
      await waitFor('healed', () => a.peers().includes(b.self));
    } finally {
      faults.stop();
      await Promise.all([a.stop(), b.stop()]);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
