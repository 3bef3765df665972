import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemoryHost, MemoryNetwork } from '../../src/p2p/memory_host.ts';

const key = (n: number) => new Uint8Array(32).fill(n);
const settle = () => new Promise((r) => setTimeout(r, 20));

describe('memory p2p host', () => {
  it('relays accepted gossip through a line of peers and stops rejected gossip', async () => {
    const net = new MemoryNetwork();
    const [a, b, c] = [1, 2, 3].map((n) => new MemoryHost(net, key(n)));
    for (const h of [a!, b!, c!]) await h.start();
    await a!.connect(b!.self);
    await b!.connect(c!.self);
    const got: string[] = [];
    b!.subscribe('t', (m) => (m.data[0] === 0 ? 'reject' : 'accept'));
    c!.subscribe('t', (m) => {
      got.push(`${m.from === b!.self}:${m.data[0]}`);
      return 'accept';
    });
    await a!.publish('t', new Uint8Array([7]));
    await a!.publish('t', new Uint8Array([0]));
    await settle();
    assert.deepEqual(got, ['true:7']);
    assert.deepEqual(b!.penalties, [{ peer: a!.self, reason: 'invalid gossip' }]);
  });

  it('cuts links to model partitions', async () => {
    const net = new MemoryNetwork();
    const a = new MemoryHost(net, key(1));
    const b = new MemoryHost(net, key(2));
    await a.start();
    await b.start();
    await a.connect(b.self);
    b.handle('/p', async (_f, r) => r);
    net.setLink(a.self, b.self, false);
    await assert.rejects(a.request(b.self, '/p', new Uint8Array([1])));
    net.setLink(a.self, b.self, true);
    assert.deepEqual([...(await a.request(b.self, '/p', new Uint8Array([1])))], [1]);
  });
});
