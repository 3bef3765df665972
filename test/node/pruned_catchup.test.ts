import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeMessage } from '../../src/consensus/bft/messages.ts';
import { consensusTopics, P2PConsensusTransport } from '../../src/node/consensus_gossip.ts';
import { type CatchupRefusal, PrunedCatchup } from '../../src/node/pruned_catchup.ts';
import { MemoryHost, MemoryNetwork } from '../../src/p2p/memory_host.ts';

const CHAIN = 'pruned-catchup-test';
const key = (n: number) => new Uint8Array(32).fill(n);
const settle = () => new Promise((r) => setTimeout(r, 20));

/** A pruned node (retains from 100) and a node behind it, over an in-memory network. */
async function pair() {
  const net = new MemoryNetwork();
  const pruned = new MemoryHost(net, key(1));
  const behind = new MemoryHost(net, key(2));
  await pruned.start();
  await behind.start();
  await behind.connect(pruned.self);
  const transport = new P2PConsensusTransport(pruned, CHAIN);
  const delivered: number[] = [];
  transport.onMessage((_from, m) => delivered.push(m.kind === 'status' ? m.height : -1));
  let now = 0;
  const refuser = new PrunedCatchup({
    host: pruned,
    chainContext: CHAIN,
    retainedHeight: () => 100,
    onRefused: () => assert.fail('the pruned node is refused nothing'),
    now: () => now,
  });
  transport.onPrunedRequest((from, m) => refuser.refuse(from, m));
  const refusals: Array<{ peer: string } & CatchupRefusal> = [];
  new PrunedCatchup({
    host: behind,
    chainContext: CHAIN,
    retainedHeight: () => 1,
    onRefused: (peer, r) => refusals.push({ peer, ...r }),
    now: () => now,
  });
  behind.subscribe(consensusTopics(CHAIN).consensus, () => 'accept');
  const announce = async (height: number) => {
    await behind.publish(consensusTopics(CHAIN).consensus, encodeMessage({ kind: 'status', height }));
    await settle();
  };
  return { pruned, delivered, refusals, announce, advance: (ms: number) => (now += ms) };
}

describe('catch-up from a pruned peer', () => {
  it('answers a peer asking for a pruned height with a refusal naming the retained height', async () => {
    const p = await pair();
    await p.announce(5);
    assert.deepEqual(p.refusals, [{ peer: p.pruned.self, height: 5, retained: 100 }]);
    assert.deepEqual(p.delivered, [], 'the driver has nothing to send for it');
  });

  it('passes statuses it can serve to the driver, and refuses a repeating peer once per interval', async () => {
    const p = await pair();
    await p.announce(100);
    assert.deepEqual(p.delivered, [100]);
    await p.announce(5);
    await p.announce(6);
    assert.equal(p.refusals.length, 1);
    p.advance(10_000);
    await p.announce(7);
    assert.deepEqual(
      p.refusals.map((r) => r.height),
      [5, 7],
    );
  });
});
