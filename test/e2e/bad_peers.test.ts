/**
 * A hostile peer sends a running node random bytes, malformed and oversize consensus and transaction
 * messages, and raw garbage on its P2P port. The node keeps producing blocks and keeps answering.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { encodeCanonical } from '../../src/codec/cbor.ts';
import type { LocalnetManifest } from '../../src/localnet/manifest.ts';
import { prepareLocalnet } from '../../src/localnet/prepare.ts';
import { LocalnetProcesses } from '../../src/localnet/processes.ts';
import { consensusTopics } from '../../src/node/consensus_gossip.ts';
import { Libp2pHost } from '../../src/p2p/libp2p_host.ts';

describe('a node facing a hostile peer (real process)', { timeout: 180_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'oasis-ts-bad-'));
  const procs = new LocalnetProcesses();
  const attacker = new Libp2pHost({
    p2pSeed: randomBytes(32),
    listen: ['/ip4/127.0.0.1/tcp/0'],
    limits: { maxGossipBytes: 4 * 1024 * 1024 },
  });
  let net: LocalnetManifest;

  before(async () => {
    // Admit unregistered peers, so the attacker's messages really reach the node's handlers.
    net = await prepareLocalnet({ dir, validators: 1, timeoutCommitMs: 200, registeredPeersOnly: false });
    procs.start(net.nodes[0]!);
    await procs.waitHeight(net.nodes[0]!, 2, 90_000);
    await attacker.start();
  });

  after(async () => {
    await attacker.stop();
    await procs.stopAll('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('survives garbage and keeps making blocks', async () => {
    const node = net.nodes[0]!;
    const topics = consensusTopics(net.chain_context);
    // Raw garbage straight onto the TCP port (no noise handshake).
    const port = Number(node.p2p_address.split('/')[4]);
    for (let i = 0; i < 5; i++) {
      await new Promise<void>((resolve) => {
        const socket = connect(port, '127.0.0.1', () => socket.end(randomBytes(4096)));
        socket.on('error', () => resolve());
        socket.on('close', () => resolve());
      });
    }
    // libp2p rate-limits inbound connections per host: retry until it lets us in again.
    for (let i = 0; ; i++) {
      try {
        await attacker.connect(node.p2p_address);
        break;
      } catch (err) {
        if (i >= 20) throw err;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
    const peer = attacker.peers()[0]!;
    assert.ok(peer, 'the attacker is connected');
    const junk = [
      randomBytes(100),
      encodeCanonical({ vote: { type: 9 } }),
      encodeCanonical({ proposal: 1, block: 'x' }),
      encodeCanonical({ status: -1 }),
      new Uint8Array(0),
    ];
    for (const data of junk) {
      await attacker.publish(topics.consensus, data).catch(() => undefined);
      await attacker.publish(topics.txs, data).catch(() => undefined);
      await attacker.request(peer, topics.direct, data).catch(() => undefined);
    }
    // Oversize: larger than the node's limits for gossip and requests.
    await attacker.publish(topics.txs, randomBytes(2 * 1024 * 1024)).catch(() => undefined);
    await attacker.request(peer, topics.direct, randomBytes(9 * 1024 * 1024)).catch(() => undefined);
    const h = await procs.waitHeight(node, 0);
    await procs.waitHeight(node, h + 5, 60_000);
    assert.deepEqual(procs.running(), [node.name]);
  });
});
