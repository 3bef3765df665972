import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RequestError } from '../../src/p2p/api.ts';
import { encodeFrame } from '../../src/p2p/frames.ts';
import { Libp2pHost } from '../../src/p2p/libp2p_host.ts';

const seed = (n: number) => new Uint8Array(32).fill(n);

function waitFor(cond: () => boolean, ms = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const start = Date.now();
    const tick = () => {
      if (cond()) return resolve();
      if (Date.now() - start > ms) return reject(new Error('timed out waiting for condition'));
      setTimeout(tick, 25);
    };
    tick();
  });
}

describe('libp2p host (real TCP on 127.0.0.1)', () => {
  const events: string[] = [];
  const a = new Libp2pHost({ p2pSeed: seed(1), listen: ['/ip4/127.0.0.1/tcp/0'] });
  const b = new Libp2pHost({
    p2pSeed: seed(2),
    listen: ['/ip4/127.0.0.1/tcp/0'],
    limits: { maxRequestBytes: 1024 },
    scores: { banThreshold: 50 },
    onEvent: (e) => events.push(e),
  });
  const received: string[] = [];

  before(async () => {
    a.subscribe('txs', (m) => {
      received.push(`a:${Buffer.from(m.data).toString()}`);
      return 'accept';
    });
    b.subscribe('txs', (m) => {
      received.push(`b:${Buffer.from(m.data).toString()}`);
      return m.data[0] === 0x21 ? 'reject' : 'accept';
    });
    b.handle('/test/echo/1', async (_from, req) => {
      if (req.length === 0) throw new Error('empty request');
      return new Uint8Array([...req].reverse());
    });
    await a.start();
    await b.start();
    await a.connect(b.listenAddresses()[0]!);
    await waitFor(() => a.peers().length === 1 && b.peers().length === 1);
  });

  after(async () => {
    await a.stop();
    await b.stop();
  });

  it('identifies peers by their Ed25519 P2P public key', () => {
    assert.equal(a.peers()[0], b.self);
    assert.equal(b.peers()[0], a.self);
    assert.match(a.self, /^[0-9a-f]{64}$/);
  });

  it('answers requests and reports remote errors', async () => {
    const reply = await a.request(b.self, '/test/echo/1', new Uint8Array([1, 2, 3]));
    assert.deepEqual([...reply], [3, 2, 1]);
    await assert.rejects(a.request(b.self, '/test/echo/1', new Uint8Array()), /empty request/);
    await assert.rejects(a.request('00'.repeat(32), '/test/echo/1', new Uint8Array([1])), RequestError);
  });

  it('gossips to subscribers', async () => {
    await waitFor(() => a.peers().length === 1);
    // The mesh needs a heartbeat to form; publish until the message arrives.
    await waitFor(() => {
      void a.publish('txs', Buffer.from('hello')).catch(() => undefined);
      return received.includes('b:hello');
    });
  });

  it('delivers a payload published again (re-gossip), each publish once', async () => {
    const count = () => received.filter((r) => r === 'b:again').length;
    await a.publish('txs', Buffer.from('again'));
    await waitFor(() => count() === 1);
    await a.publish('txs', Buffer.from('again'));
    await waitFor(() => count() === 2);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(count(), 2);
  });

  it('drops oversize requests and bans a peer that keeps sending them', async () => {
    const big = new Uint8Array(4096);
    for (let i = 0; i < 3; i++) {
      await assert.rejects(a.request(b.self, '/test/echo/1', big), RequestError);
    }
    await waitFor(() => events.includes('peer banned'));
    await waitFor(() => b.peers().length === 0);
    // A banned peer that redials is refused: it never shows up among b's peers again.
    await a.connect(b.listenAddresses()[0]!).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(b.peers(), []);
  });

  it('frames round-trip their length prefix', () => {
    const f = encodeFrame(new Uint8Array([9, 9]));
    assert.deepEqual([...f], [0, 0, 0, 2, 9, 9]);
  });
});

describe('libp2p host admission policy', () => {
  it('refuses authenticated peers the policy does not admit', async () => {
    const outsider = new Libp2pHost({ p2pSeed: seed(7), listen: ['/ip4/127.0.0.1/tcp/0'] });
    const member = new Libp2pHost({ p2pSeed: seed(8), listen: ['/ip4/127.0.0.1/tcp/0'] });
    const allowed = new Set<string>();
    const gated = new Libp2pHost({
      p2pSeed: seed(9),
      listen: ['/ip4/127.0.0.1/tcp/0'],
      allowPeer: (peer) => allowed.has(peer),
    });
    await Promise.all([outsider.start(), member.start(), gated.start()]);
    try {
      allowed.add(member.self);
      await member.connect(gated.listenAddresses()[0]!);
      await waitFor(() => gated.peers().includes(member.self));
      await outsider.connect(gated.listenAddresses()[0]!).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 500));
      assert.deepEqual(gated.peers(), [member.self]);
    } finally {
      await Promise.all([outsider.stop(), member.stop(), gated.stop()]);
    }
  });
});
