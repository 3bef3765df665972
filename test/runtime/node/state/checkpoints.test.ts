/**
 * Runtime state restored from checkpoints over an in-memory network with real tree stores: holders of a
 * finalized round's state write its checkpoint on first request and serve its chunks; a node lacking the
 * state restores it from all of them (the root must be the finalized one), a peer sending corrupted chunks
 * is penalised and the restore finishes from the others, a checkpoint of another root is never used, and a
 * state restored into the persistent (LMDB) store survives reopening it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { u64be, utf8 } from '../../../../src/codec/bytes.ts';
import { decodeCanonical, encodeCanonical } from '../../../../src/codec/cbor.ts';
import { EMPTY_HASH } from '../../../../src/crypto/hash.ts';
import type { RequestHandler } from '../../../../src/p2p/api.ts';
import { MemoryHost, MemoryNetwork } from '../../../../src/p2p/memory_host.ts';
import { RUNTIME_CHUNK_BYTES, RuntimeCheckpoints } from '../../../../src/runtime/node/state/checkpoints.ts';
import { LmdbTreeStore } from '../../../../src/runtime/node/state/lmdb_tree_store.ts';
import type { WriteLogEntry } from '../../../../src/runtime/protocol/types.ts';
import { MemoryTreeStore, type TreeStore } from '../../../../src/runtime/state/tree_store.ts';

const PROTOCOL = '/oasis-ts/test/runtime-checkpoints/1';
const RUNTIME_ID = new Uint8Array(32).fill(0x77);
const ROUND = 7;
/** About 2.5 chunks of state. */
const ENTRIES = Math.ceil((2.5 * RUNTIME_CHUNK_BYTES) / 200);

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function writeLog(n: number, flavour: string): WriteLogEntry[] {
  return Array.from(
    { length: n },
    (_, i): WriteLogEntry => [u64be(i), utf8(`${flavour} ${i} `.padEnd(120, '.'))],
  );
}

const noLog = { info: () => {}, warn: () => {} };

/** A node with a runtime state store; `finalized` maps rounds to the roots it recorded as finalized. */
async function node(
  net: MemoryNetwork,
  rank: number,
  state: WriteLogEntry[] | undefined,
  finalized: Map<number, Uint8Array>,
  Host: typeof MemoryHost = MemoryHost,
  store: TreeStore = new MemoryTreeStore(),
) {
  const p2p = new Host(net, new Uint8Array(32).fill(rank));
  await p2p.start();
  const root = state === undefined ? EMPTY_HASH : store.apply(EMPTY_HASH, state);
  const dir = mkdtempSync(join(tmpdir(), 'rt-checkpoints-'));
  dirs.push(dir);
  const checkpoints = new RuntimeCheckpoints({
    dir,
    runtimeId: RUNTIME_ID,
    store,
    finalizedRoot: (round) => finalized.get(round),
    p2p,
    protocol: PROTOCOL,
    log: noLog,
  });
  return { p2p, store, root, checkpoints };
}

/** Counts the chunk requests its handlers receive. */
class CountingHost extends MemoryHost {
  chunks = 0;
  override handle(protocol: string, handler: RequestHandler): void {
    super.handle(protocol, (from, data) => {
      if ((decodeCanonical(data) as { method: string }).method === 'chunk') this.chunks++;
      return handler(from, data);
    });
  }
}

/** Serves true manifests but flips a byte in every chunk. */
class CorruptingHost extends MemoryHost {
  override handle(protocol: string, handler: RequestHandler): void {
    super.handle(protocol, async (from, data) => {
      const answer = await handler(from, data);
      if ((decodeCanonical(data) as { method: string }).method !== 'chunk') return answer;
      const { chunk } = decodeCanonical(answer) as { chunk: Uint8Array };
      const bad = new Uint8Array(chunk);
      bad[bad.length >> 1]! ^= 0xff;
      return encodeCanonical({ chunk: bad });
    });
  }
}

describe('runtime checkpoints', () => {
  const honest = writeLog(ENTRIES, 'honest');

  it('a node lacking a finalized state restores it from the checkpoints of every peer holding it', async () => {
    const net = new MemoryNetwork();
    const probe = new MemoryTreeStore();
    const R = probe.apply(EMPTY_HASH, honest);
    const finalized = new Map([[ROUND, R]]);
    const a = await node(net, 1, honest, finalized, CountingHost);
    const b = await node(net, 2, honest, finalized, CountingHost);
    const fresh = await node(net, 0xf0, undefined, new Map());
    await fresh.p2p.connect(a.p2p.self);
    await fresh.p2p.connect(b.p2p.self);
    assert.equal(fresh.store.has(R), false);

    assert.equal(await fresh.checkpoints.restore(R, ROUND), true);
    assert.equal(fresh.store.has(R), true);
    assert.deepEqual(fresh.store.page(R, undefined, ENTRIES + 1), probe.page(R, undefined, ENTRIES + 1));
    // Both holders wrote the same checkpoint of the round on request and shared the chunk load.
    assert.deepEqual(a.checkpoints.rounds(), [ROUND]);
    assert.deepEqual(b.checkpoints.rounds(), [ROUND]);
    const manifest = (await a.checkpoints.manifestAt(ROUND))!;
    assert.ok(manifest.chunks.length >= 3, `${manifest.chunks.length} chunks`);
    assert.deepEqual(await b.checkpoints.manifestAt(ROUND), manifest);
    const served = [(a.p2p as CountingHost).chunks, (b.p2p as CountingHost).chunks];
    assert.equal(served[0]! + served[1]!, manifest.chunks.length);
    assert.ok(served[0]! > 0 && served[1]! > 0, `chunks served ${served}`);
    assert.deepEqual(fresh.p2p.penalties, []);
  });

  it('penalises a peer sending corrupted chunks and finishes from the others', async () => {
    const net = new MemoryNetwork();
    const R = new MemoryTreeStore().apply(EMPTY_HASH, honest);
    const finalized = new Map([[ROUND, R]]);
    const liar = await node(net, 1, honest, finalized, CorruptingHost);
    const good = await node(net, 2, honest, finalized);
    const fresh = await node(net, 0xf0, undefined, new Map());
    await fresh.p2p.connect(liar.p2p.self);
    await fresh.p2p.connect(good.p2p.self);
    assert.equal(await fresh.checkpoints.restore(R, ROUND), true);
    assert.equal(fresh.store.has(R), true);
    // Chunks already in flight to it may fail too before it is dropped: only it is ever penalised.
    assert.ok(fresh.p2p.penalties.length >= 1);
    assert.deepEqual(new Set(fresh.p2p.penalties.map((p) => p.peer)), new Set([liar.p2p.self]));
    assert.match(fresh.p2p.penalties[0]!.reason, /malformed checkpoint chunk/);
  });

  it('never uses a checkpoint of another root, and fails when no peer holds the finalized one', async () => {
    const net = new MemoryNetwork();
    const R = new MemoryTreeStore().apply(EMPTY_HASH, honest);
    const forged = writeLog(ENTRIES, 'forged');
    const F = new MemoryTreeStore().apply(EMPTY_HASH, forged);
    // This peer recorded another root as the round's (or lies about it): its checkpoint is of F.
    const other = await node(net, 1, forged, new Map([[ROUND, F]]));
    const fresh = await node(net, 0xf0, undefined, new Map());
    await fresh.p2p.connect(other.p2p.self);
    assert.equal(await fresh.checkpoints.restore(R, ROUND), false);
    assert.equal(fresh.store.has(R), false);
    assert.equal(fresh.store.has(F), false);
    // A node that does not hold a round's state writes no checkpoint of it.
    assert.equal(await fresh.checkpoints.manifestAt(ROUND), undefined);
  });

  it("a restored state is durable in the node's persistent store", async () => {
    const net = new MemoryNetwork();
    const R = new MemoryTreeStore().apply(EMPTY_HASH, honest);
    const holder = await node(net, 1, honest, new Map([[ROUND, R]]));
    const dir = mkdtempSync(join(tmpdir(), 'rt-state-'));
    dirs.push(dir);
    const store = LmdbTreeStore.open(dir);
    const fresh = await node(net, 0xf0, undefined, new Map(), MemoryHost, store);
    await fresh.p2p.connect(holder.p2p.self);
    assert.equal(await fresh.checkpoints.restore(R, ROUND), true);
    await store.close();
    const reopened = LmdbTreeStore.open(dir);
    try {
      assert.equal(reopened.has(R), true);
      assert.equal(reopened.page(R, undefined, ENTRIES + 1).length, ENTRIES);
    } finally {
      await reopened.close();
    }
  });
});
