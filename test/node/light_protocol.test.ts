/**
 * The p2p light protocol: a peer serves light blocks from its block store, and a light client whose only
 * source is that peer verifies a header 200 heights ahead; coded errors travel back as answers, and a
 * request for an unknown method is refused with p2p/rpc 1.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { bytesEqual, toHex } from '../../src/codec/bytes.ts';
import { decodeCanonical, encodeCanonical } from '../../src/codec/cbor.ts';
import { blockHash } from '../../src/consensus/api/block.ts';
import { ConsensusErrors } from '../../src/consensus/api/transaction.ts';
import type { MemoryBlockStore } from '../../src/consensus/bft/block_store.ts';
import { lightBlockAt } from '../../src/consensus/bft/light_blocks.ts';
import { LightClient } from '../../src/consensus/light/client.ts';
import { CodedError } from '../../src/errors.ts';
import { lightProtocolId, P2PLightSource, serveLightProtocol } from '../../src/node/light_protocol.ts';
import { MemoryHost, MemoryNetwork } from '../../src/p2p/memory_host.ts';
import { buildChain, fixtureKey } from '../consensus/light/chain_fixture.ts';

const CHAIN = 'light-p2p-chain';
let store: MemoryBlockStore;
let client: MemoryHost;
let server: MemoryHost;
const submitted: Uint8Array[] = [];

before(async () => {
  const pool = Array.from({ length: 8 }, (_, i) => fixtureKey(i, 'p2p'));
  store = await buildChain({
    chainId: CHAIN,
    heights: 200,
    keys: new Map(pool.map((k) => [toHex(k.publicKey), k])),
    genesis: pool.slice(0, 4).map((k) => ({ publicKey: k.publicKey, power: 10n })),
    updatesAt: (h) =>
      h % 50 === 0 && h <= 200
        ? [
            { publicKey: pool[h / 50 - 1]!.publicKey, power: 0n },
            { publicKey: pool[h / 50 + 3]!.publicKey, power: 10n },
          ]
        : [],
  });
  const net = new MemoryNetwork();
  server = new MemoryHost(net, new Uint8Array(32).fill(1));
  client = new MemoryHost(net, new Uint8Array(32).fill(2));
  await server.start();
  await client.start();
  await client.connect(server.self);
  serveLightProtocol(server, CHAIN, {
    lightBlock: (height) => {
      const h = height === 0 ? store.height() : height;
      const block = lightBlockAt(store, h);
      if (block === undefined) throw ConsensusErrors.versionNotFound(`no block ${h}`);
      return { height: h, block };
    },
    parameters: (height) => ({ height, parameters: { max_tx_size: 1 } }),
    submitEvidence: (evidence) => {
      submitted.push(evidence);
    },
  });
});

describe('p2p light protocol', () => {
  it('lets a light client verify a header 200 heights ahead from a peer alone', async () => {
    const light = new LightClient({
      chainContext: CHAIN,
      trust: { height: 1, hash: blockHash(store.block(1)!.header), periodMs: 86_400_000 },
      primary: new P2PLightSource(client, CHAIN, server.self),
      now: () => store.block(200)!.header.time + 1000,
    });
    const v = await light.verifyHeight(200);
    assert.ok(bytesEqual(v.hash, blockHash(store.block(200)!.header)));
  });

  it('returns a peer’s coded error as that error, and passes evidence on', async () => {
    const source = new P2PLightSource(client, CHAIN, server.self);
    await assert.rejects(source.lightBlock(999, AbortSignal.timeout(5000)), (e) =>
      CodedError.is(e, 'consensus', 3),
    );
    await source.submitEvidence(new Uint8Array([1, 2, 3]), AbortSignal.timeout(5000));
    assert.deepEqual(submitted, [new Uint8Array([1, 2, 3])]);
  });

  it('refuses an unknown method with p2p/rpc 1', async () => {
    const raw = await client.request(
      server.self,
      lightProtocolId(CHAIN),
      encodeCanonical({ method: 'Nope' }),
    );
    const reply = decodeCanonical(raw) as { error: { module: string; code: number } };
    assert.equal(reply.error.module, 'p2p/rpc');
    assert.equal(reply.error.code, 1);
  });
});
