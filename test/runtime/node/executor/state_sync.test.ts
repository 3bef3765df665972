/**
 * Runtime state transfer between nodes over an in-memory network, with real `RuntimeHost`s that are never
 * started (their state store works without the runtime process): a node lacking a root fetches it page by
 * page and adopts it; a peer serving a state that does not hash to the root is penalized and the next peer
 * used; a peer that lacks the state is skipped without a penalty; nobody having it yields false.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { u64be, utf8 } from '../../../../src/codec/bytes.ts';
import { type CborValue, decodeCanonical, encodeCanonical } from '../../../../src/codec/cbor.ts';
import type { RequestHandler } from '../../../../src/p2p/api.ts';
import { MemoryHost, MemoryNetwork } from '../../../../src/p2p/memory_host.ts';
import {
  STATE_PAGE_SIZE,
  serveRuntimeState,
  syncRuntimeState,
} from '../../../../src/runtime/node/executor/state_sync.ts';
import { RuntimeHost } from '../../../../src/runtime/node/host/host.ts';
import type { WriteLogEntry } from '../../../../src/runtime/protocol/types.ts';

const PROTOCOL = '/oasis-ts/test/runtime-state/1';
const ENTRIES = 5_000;

/** `n` entries whose values depend on `flavour`, so different flavours give different roots. */
function writeLog(n: number, flavour: string): WriteLogEntry[] {
  return Array.from({ length: n }, (_, i): WriteLogEntry => [u64be(i), utf8(`${flavour} value ${i}`)]);
}

/** A runtime host that is never started: only its state store is used. */
function host(genesis: WriteLogEntry[]): RuntimeHost {
  return new RuntimeHost({
    runtimeId: new Uint8Array(32).fill(0x77),
    runtimeDir: '/nonexistent/never-started',
    entry: '/nonexistent/never-started.ts',
    consensus: { backend: 'tendermint', protocolVersion: { major: 7 }, chainContext: 'c'.repeat(64) },
    genesisWriteLog: genesis,
  });
}

const holder = host(writeLog(ENTRIES, 'honest'));
const R = holder.genesisStateRoot;
const other = host(writeLog(ENTRIES, 'forged'));

/** A peer key sorting by `rank` (peers are tried in ascending key order). */
const peerKey = (rank: number) => new Uint8Array(32).fill(rank);

/** Requests one peer's handler received, decoded. */
type Seen = Array<{ root: Uint8Array; after?: Uint8Array; limit: number }>;

/** A real in-memory host that also records every request its handlers receive. */
class RecordingHost extends MemoryHost {
  readonly #seen: Seen;

  constructor(net: MemoryNetwork, publicKey: Uint8Array, seen: Seen) {
    super(net, publicKey);
    this.#seen = seen;
  }

  override handle(protocol: string, handler: RequestHandler): void {
    super.handle(protocol, (from, data) => {
      this.#seen.push(decodeCanonical(data) as unknown as Seen[number]);
      return handler(from, data);
    });
  }
}

/** A network of `peers` (by rank) and a syncing node (rank 0xf0) connected to all of them. */
async function network(peers: Array<{ rank: number; serve: (p2p: MemoryHost) => void; seen?: Seen }>) {
  const net = new MemoryNetwork();
  const node = new MemoryHost(net, peerKey(0xf0));
  await node.start();
  const keys: string[] = [];
  for (const { rank, serve, seen } of peers) {
    const p = new RecordingHost(net, peerKey(rank), seen ?? []);
    await p.start();
    serve(p);
    await node.connect(p.self);
    keys.push(p.self);
  }
  return { node, keys };
}

/** Serves `h`'s real state. */
const honest = (h: RuntimeHost) => (p2p: MemoryHost) => serveRuntimeState(p2p, PROTOCOL, h);

/** Answers a request for any root with pages of another state. */
const liar = (p2p: MemoryHost) =>
  p2p.handle(PROTOCOL, async (_from, data) => {
    const req = decodeCanonical(data) as { after?: Uint8Array; limit: number };
    return encodeCanonical({
      entries: other.statePage(other.genesisStateRoot, req.after, req.limit) as CborValue,
    });
  });

/** Answers every request for the root with the first page of the true state, ignoring `after`. */
const repeater = (p2p: MemoryHost) =>
  p2p.handle(PROTOCOL, async () =>
    encodeCanonical({ entries: holder.statePage(R, undefined, STATE_PAGE_SIZE) as CborValue }),
  );

/** Answers with more entries than asked for (true ones). */
const flooder = (p2p: MemoryHost) =>
  p2p.handle(PROTOCOL, async () =>
    encodeCanonical({ entries: holder.statePage(R, undefined, STATE_PAGE_SIZE + 1) as CborValue }),
  );

type Warning = { message: string; fields: Record<string, unknown> };
const collect = (into: Warning[]) => (message: string, fields: Record<string, unknown>) =>
  into.push({ message, fields });

describe('runtime state sync', () => {
  it('holds and serves states of more than one page', () => {
    assert.ok(ENTRIES > 2 * STATE_PAGE_SIZE);
    assert.equal(holder.hasState(R), true);
    assert.equal(holder.statePage(R, undefined, ENTRIES + 1).length, ENTRIES);
  });

  it('a node lacking a root fetches it page by page from a peer and adopts it', async () => {
    const seen: Seen = [];
    const { node } = await network([{ rank: 3, serve: honest(holder), seen }]);
    const syncing = host(writeLog(10, 'small'));
    assert.equal(syncing.hasState(R), false);
    const warnings: Warning[] = [];
    assert.equal(await syncRuntimeState(node, PROTOCOL, syncing, R, collect(warnings)), true);
    assert.equal(syncing.hasState(R), true);
    assert.deepEqual(
      syncing.statePage(R, undefined, ENTRIES + 1),
      holder.statePage(R, undefined, ENTRIES + 1),
    );
    // Three pages: 2,000 + 2,000 + 1,000, each continuing after the last key of the one before.
    assert.equal(seen.length, Math.ceil(ENTRIES / STATE_PAGE_SIZE));
    assert.deepEqual(
      seen.map((r) => r.after),
      [undefined, u64be(STATE_PAGE_SIZE - 1), u64be(2 * STATE_PAGE_SIZE - 1)],
    );
    for (const r of seen) {
      assert.deepEqual(r.root, R);
      assert.equal(r.limit, STATE_PAGE_SIZE);
    }
    assert.deepEqual(warnings, []);
    assert.deepEqual(node.penalties, []);
  });

  it('serves two nodes syncing the same root at the same time, pages interleaved', async () => {
    const net = new MemoryNetwork();
    const seen: Seen = [];
    const server = new RecordingHost(net, peerKey(3), seen);
    await server.start();
    serveRuntimeState(server, PROTOCOL, holder);
    const syncs = [0xf1, 0xf2].map(async (rank) => {
      const node = new MemoryHost(net, peerKey(rank));
      await node.start();
      await node.connect(server.self);
      const syncing = host([]);
      assert.equal(await syncRuntimeState(node, PROTOCOL, syncing, R, collect([])), true);
      return syncing;
    });
    for (const syncing of await Promise.all(syncs)) assert.equal(syncing.hasState(R), true);
    assert.equal(seen.length, 2 * Math.ceil(ENTRIES / STATE_PAGE_SIZE));
    assert.deepEqual(
      seen.slice(0, 2).map((r) => r.after),
      [undefined, undefined],
      'both started before either continued',
    );
  });

  it('ends on the empty page after a state of an exact number of pages', async () => {
    const exact = host(writeLog(2 * STATE_PAGE_SIZE, 'exact'));
    const seen: Seen = [];
    const { node } = await network([{ rank: 3, serve: honest(exact), seen }]);
    const syncing = host([]);
    const root = exact.genesisStateRoot;
    assert.equal(await syncRuntimeState(node, PROTOCOL, syncing, root, collect([])), true);
    assert.equal(syncing.hasState(root), true);
    assert.deepEqual(
      seen.map((r) => r.after),
      [undefined, u64be(STATE_PAGE_SIZE - 1), u64be(2 * STATE_PAGE_SIZE - 1)],
    );
  });

  it('penalizes a peer serving a wrong state, skips one lacking it, and uses the next', async () => {
    const seen: Seen = [];
    const { node, keys } = await network([
      { rank: 1, serve: liar },
      { rank: 2, serve: honest(host(writeLog(3, 'unrelated'))) },
      { rank: 3, serve: honest(holder), seen },
    ]);
    const [liarKey, lackingKey, honestKey] = keys as [string, string, string];
    assert.deepEqual(node.peers(), [liarKey, lackingKey, honestKey], 'tried in this order');
    const syncing = host(writeLog(10, 'small'));
    const warnings: Warning[] = [];
    assert.equal(await syncRuntimeState(node, PROTOCOL, syncing, R, collect(warnings)), true);
    assert.equal(syncing.hasState(R), true);
    assert.deepEqual(node.penalties, [{ peer: liarKey, reason: 'wrong runtime state' }]);
    assert.deepEqual(
      warnings.map((w) => w.fields.peer),
      [liarKey, lackingKey],
    );
    assert.equal(seen.length, 3, 'the honest peer served the whole state');
  });

  it('penalizes a peer that repeats a page or sends more than asked, at its first bad page', async () => {
    const repeated: Seen = [];
    const { node, keys } = await network([
      { rank: 1, serve: repeater, seen: repeated },
      { rank: 2, serve: flooder },
      { rank: 3, serve: honest(holder) },
    ]);
    const syncing = host(writeLog(10, 'small'));
    const warnings: Warning[] = [];
    assert.equal(await syncRuntimeState(node, PROTOCOL, syncing, R, collect(warnings)), true);
    assert.equal(syncing.hasState(R), true);
    assert.equal(repeated.length, 2, 'the repeated page is refused as soon as it comes back');
    assert.deepEqual(node.penalties, [
      { peer: keys[0], reason: 'wrong runtime state' },
      { peer: keys[1], reason: 'wrong runtime state' },
    ]);
    assert.match(String(warnings[0]?.fields.err), /keys do not ascend/);
    assert.match(String(warnings[1]?.fields.err), /more than the 2000 entries asked for/);
  });

  it('resolves false when no peer has the state, and true at once when the node has it', async () => {
    const { node, keys } = await network([
      { rank: 1, serve: liar },
      { rank: 2, serve: honest(host(writeLog(3, 'unrelated'))) },
    ]);
    const syncing = host(writeLog(10, 'small'));
    const warnings: Warning[] = [];
    assert.equal(await syncRuntimeState(node, PROTOCOL, syncing, R, collect(warnings)), false);
    assert.equal(syncing.hasState(R), false);
    assert.deepEqual(node.penalties, [{ peer: keys[0], reason: 'wrong runtime state' }]);
    assert.equal(warnings.length, 2);

    const alone = await network([]);
    assert.equal(await syncRuntimeState(alone.node, PROTOCOL, syncing, R, collect(warnings)), false);
    const seen: Seen = [];
    const served = await network([{ rank: 3, serve: honest(holder), seen }]);
    assert.equal(await syncRuntimeState(served.node, PROTOCOL, holder, R, collect(warnings)), true);
    assert.equal(seen.length, 0, 'nothing fetched for a state already held');
    assert.equal(warnings.length, 2);
  });
});
