import assert from 'node:assert/strict';
import { closeSync, cpSync, mkdtempSync, openSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { utf8 } from '../../src/codec/bytes.ts';
import { StateSyncClient, serveStateSync } from '../../src/node/checkpoint_protocol.ts';
import { Checkpointer } from '../../src/node/checkpointer.ts';
import { fetchChunks, type StateSyncOptions } from '../../src/node/state_sync.ts';
import { MemoryHost, MemoryNetwork } from '../../src/p2p/memory_host.ts';
import { CheckpointFiles } from '../../src/state/checkpoint/files.ts';
import { CheckpointRestore } from '../../src/state/checkpoint/restore.ts';
import { type MkvsState, openMkvs } from '../../src/state/mkvs/versioned.ts';

const CHAIN = 'test-chain';
const dirs: string[] = [];
const states: MkvsState[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'oasis-ts-ckpt-node-'));
  dirs.push(d);
  return d;
};
const openState = async () => {
  const s = await openMkvs(tmp());
  states.push(s);
  return s;
};
after(async () => {
  for (const s of states) await s.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Commits `version` with a few hundred entries changing from version to version. */
async function commitVersion(s: MkvsState, version: number): Promise<void> {
  const w = s.working();
  for (let i = 0; i < 300; i++) w.set(utf8(`acct/${i}`), utf8(`balance ${i * version}`));
  w.set(utf8(`height/${version}`), utf8(String(version)));
  await s.commit(version);
}

test('the checkpointer writes due checkpoints, keeps num_kept plus the initial one, and holds the pending version', async () => {
  const state = await openState();
  const files = new CheckpointFiles(tmp());
  const created: number[] = [];
  const cp = new Checkpointer({
    params: { initialHeight: 1, interval: 4, numKept: 2, chunkSize: 2048 },
    state,
    files,
    onCreated: (info) => created.push(info.version),
  });
  for (let h = 1; h <= 10; h++) await commitVersion(state, h);
  assert.equal(cp.holds(), 9, 'the newest due version is held until checkpointed');
  assert.deepEqual(await cp.runOnce(), [9, 5]);
  assert.equal(cp.holds(), undefined);
  for (let h = 11; h <= 17; h++) await commitVersion(state, h);
  assert.deepEqual(await cp.runOnce(), [17, 13]);
  assert.deepEqual(cp.heights(), [13, 17], 'older ones collected');
  assert.deepEqual(created, [9, 5, 17, 13]);
  // A version already pruned is not checkpointed (nothing to read), and the walk stops there.
  for (let h = 18; h <= 25; h++) await commitVersion(state, h);
  await state.prune(22);
  assert.deepEqual(await cp.runOnce(), [25]);
  // The initial height's checkpoint is never collected.
  const fresh = await openState();
  const files2 = new CheckpointFiles(tmp());
  const cp2 = new Checkpointer({
    params: { initialHeight: 1, interval: 4, numKept: 1, chunkSize: 2048 },
    state: fresh,
    files: files2,
  });
  await commitVersion(fresh, 1);
  assert.deepEqual(await cp2.runOnce(), [1]);
  for (let h = 2; h <= 9; h++) await commitVersion(fresh, h);
  await cp2.runOnce();
  assert.deepEqual(cp2.heights(), [1, 9]);
});

test('chunks are fetched from several peers; a peer serving corrupted chunks is penalised and dropped', async () => {
  const source = await openState();
  for (let h = 1; h <= 5; h++) await commitVersion(source, h);
  const dir = tmp();
  const cp = new Checkpointer({
    params: { initialHeight: 1, interval: 4, numKept: 1, chunkSize: 1024 },
    state: source,
    files: new CheckpointFiles(dir),
  });
  await cp.runOnce();
  const net = new MemoryNetwork();
  const servers: MemoryHost[] = [];
  const served = new Map<string, number>();
  for (let i = 0; i < 3; i++) {
    const copy = tmp();
    cpSync(dir, copy, { recursive: true });
    if (i === 0) {
      // Bit rot (or a liar) on the first peer: every chunk file has one byte flipped.
      for (const name of readdirSync(join(copy, '5', 'chunks'))) {
        const fd = openSync(join(copy, '5', 'chunks', name), 'r+');
        writeSync(fd, Uint8Array.of(0xee), 0, 1, 4);
        closeSync(fd);
      }
    }
    const host = new MemoryHost(net, new Uint8Array(32).fill(i + 1));
    await host.start();
    const files = new CheckpointFiles(copy);
    serveStateSync(host, CHAIN, {
      files: {
        list: () => files.list(),
        chunk: (version, index) => {
          served.set(host.self, (served.get(host.self) ?? 0) + 1);
          return files.chunk(version, index);
        },
      } as CheckpointFiles,
      chainState: () => undefined,
      header: () => undefined,
    });
    servers.push(host);
  }
  const me = new MemoryHost(net, new Uint8Array(32).fill(9));
  await me.start();
  for (const s of servers) await me.connect(s.self);
  const client = new StateSyncClient(me, CHAIN);
  const [manifest] = await client.checkpoints(servers[1]!.self);
  assert.ok(manifest !== undefined && manifest.version === 5 && manifest.chunks.length > 8);
  const target = await openState();
  const restore = new CheckpointRestore(target, manifest);
  const progress: Record<string, unknown>[] = [];
  const o = {
    client,
    peers: () => me.peers(),
    penalize: (peer: string, reason: string) => me.penalize(peer, reason),
    log: { info: (f: Record<string, unknown>) => progress.push(f), warn: () => {} },
  } as unknown as StateSyncOptions;
  await fetchChunks(o, { manifest, peers: servers.map((s) => s.self) }, restore, Date.now() + 30_000);
  await restore.finish();
  assert.deepEqual(target.rootHash(5), source.rootHash(5));
  const bad = servers[0]!.self;
  assert.ok(
    me.penalties.length >= 1 && me.penalties.every((p) => p.peer === bad),
    JSON.stringify(me.penalties),
  );
  assert.equal(served.get(bad), me.penalties.length, 'the bad peer is not asked again after it failed');
  assert.ok(
    (served.get(servers[1]!.self) ?? 0) > 0 && (served.get(servers[2]!.self) ?? 0) > 0,
    'both good peers served',
  );
  const last = progress.at(-1)!;
  assert.equal(last.chunks, manifest.chunks.length);
  assert.ok(Number(last.bytes) > 0 && Number(last.bytesPerSecond) > 0);
});
