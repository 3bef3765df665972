import assert from 'node:assert/strict';
import fs, { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, mock, test } from 'node:test';
import { utf8 } from '../../../src/codec/bytes.ts';
import { CodedError } from '../../../src/errors.ts';
import { checkpointChunks, chunkDigest, verifyChunk } from '../../../src/state/checkpoint/chunks.ts';
import { CHECKPOINT_MODULE, CheckpointErrorCode } from '../../../src/state/checkpoint/errors.ts';
import { CheckpointFiles } from '../../../src/state/checkpoint/files.ts';
import {
  decodeManifest,
  encodeManifest,
  type Manifest,
  manifestHash,
} from '../../../src/state/checkpoint/manifest.ts';
import { CheckpointRestore } from '../../../src/state/checkpoint/restore.ts';
import { decodeProof, encodeProof } from '../../../src/state/mkvs/proof.ts';
import { type MkvsState, openMkvs } from '../../../src/state/mkvs/versioned.ts';

const dirs: string[] = [];
const states: MkvsState[] = [];
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'oasis-ts-ckpt-'));
  dirs.push(d);
  return d;
}
async function state(): Promise<MkvsState> {
  const s = await openMkvs(tmp());
  states.push(s);
  return s;
}
after(async () => {
  for (const s of states) await s.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A state with `n` entries of varied key lengths (some keys prefixes of others) committed at version 7. */
async function filledState(n: number): Promise<MkvsState> {
  const s = await state();
  const w = s.working();
  for (let i = 0; i < n; i++) {
    w.set(utf8(`k${i}`), utf8(`value ${i} `.repeat(1 + (i % 5))));
    if (i % 7 === 0) w.set(utf8(`k${i}/sub`), utf8(`nested ${i}`));
  }
  w.set(new Uint8Array([0]), utf8('zero'));
  await s.commit(7);
  return s;
}

function manifestOf(
  s: MkvsState,
  version: number,
  chunkSize: number,
): { manifest: Manifest; chunks: Uint8Array[] } {
  const chunks = [...checkpointChunks(s, version, chunkSize)];
  return { manifest: { version, root: s.rootHash(version), chunks: chunks.map(chunkDigest) }, chunks };
}

function isCheckpointError(code: number) {
  return (err: unknown) => err instanceof CodedError && err.module === CHECKPOINT_MODULE && err.code === code;
}

test('chunks cover the state in key order, each proving its entries against the root', async () => {
  const s = await filledState(600);
  const { manifest, chunks } = manifestOf(s, 7, 2_000);
  assert.ok(chunks.length > 10, `only ${chunks.length} chunks`);
  const all: Array<[Uint8Array, Uint8Array]> = [];
  for (const [i, c] of chunks.entries()) all.push(...verifyChunk(manifest, i, c));
  const expected = [...s.at(7).entries(new Uint8Array(0))];
  assert.equal(all.length, expected.length);
  assert.deepEqual(
    all.map(([k]) => Buffer.from(k).toString('hex')),
    expected.map(([k]) => Buffer.from(k).toString('hex')),
  );
  assert.deepEqual(
    all,
    expected.map(([k, v]) => [new Uint8Array(k), new Uint8Array(v)]),
  );
});

test('a restore from chunks in any order commits the same root at the checkpoint version', async () => {
  const s = await filledState(300);
  const { manifest, chunks } = manifestOf(s, 7, 1_500);
  const target = await state();
  const restore = new CheckpointRestore(target, manifest);
  const order = chunks.map((_, i) => i).reverse();
  for (const i of order) restore.addChunk(i, chunks[i]!);
  assert.throws(
    () => restore.addChunk(0, chunks[0]!),
    isCheckpointError(CheckpointErrorCode.chunkAlreadyRestored),
  );
  await restore.finish();
  assert.equal(target.latestVersion(), 7);
  assert.deepEqual(target.rootHash(7), s.rootHash(7));
  assert.deepEqual(target.at(7).get(utf8('k42')), s.at(7).get(utf8('k42')));
});

test('a chunk that does not match its digest is corrupted (7); a forged chunk fails its proof (6)', async () => {
  const s = await filledState(200);
  const { manifest, chunks } = manifestOf(s, 7, 1_500);
  const target = await state();
  const restore = new CheckpointRestore(target, manifest);
  const flipped = chunks[1]!.slice();
  flipped[flipped.length - 3]! ^= 1;
  assert.throws(() => restore.addChunk(1, flipped), isCheckpointError(CheckpointErrorCode.chunkCorrupted));
  // A forged chunk listed in a forged manifest: digest matches, but a changed value breaks the proof.
  const proof = decodeProof(chunks[1]!);
  const i = proof.entries.findIndex((e) => e !== null && e[0] === 1 && e[1] === 0);
  const entry = proof.entries[i]!.slice();
  entry[entry.length - 1]! ^= 1;
  proof.entries[i] = entry;
  const forged = encodeProof(proof);
  const lying: Manifest = {
    ...manifest,
    chunks: manifest.chunks.map((d, j) => (j === 1 ? chunkDigest(forged) : d)),
  };
  const restore2 = new CheckpointRestore(await state(), lying);
  assert.throws(
    () => restore2.addChunk(1, forged),
    isCheckpointError(CheckpointErrorCode.chunkProofVerificationFailed),
  );
  // Nothing was written by the rejected chunks: the honest chunks still restore the state.
  for (const [j, c] of chunks.entries()) restore.addChunk(j, c);
  await restore.finish();
  assert.deepEqual(target.rootHash(7), s.rootHash(7));
});

test('a manifest whose chunks do not cover the state fails at the end and commits nothing', async () => {
  const s = await filledState(200);
  const { manifest, chunks } = manifestOf(s, 7, 1_500);
  const short: Manifest = { ...manifest, chunks: manifest.chunks.slice(1) };
  const target = await state();
  const restore = new CheckpointRestore(target, short);
  // Chunk 1 of the real checkpoint is chunk 0 of the short one: it verifies, but the state is incomplete.
  for (const [j, c] of chunks.slice(1).entries()) restore.addChunk(j, c);
  await assert.rejects(restore.finish(), isCheckpointError(CheckpointErrorCode.chunkProofVerificationFailed));
  assert.equal(target.latestVersion(), 0);
});

test('manifests round-trip and are refused when malformed', () => {
  const m: Manifest = { version: 5, root: new Uint8Array(32).fill(1), chunks: [new Uint8Array(32).fill(2)] };
  assert.deepEqual(decodeManifest(encodeManifest(m)), m);
  assert.equal(manifestHash(m).length, 32);
  assert.throws(() => decodeManifest(encodeManifest({ ...m, chunks: [] })), CodedError);
  assert.throws(() => decodeManifest(utf8('junk')));
});

test('checkpoint files publish whole checkpoints only, and drop interrupted ones on open', async () => {
  const s = await filledState(50);
  const { manifest, chunks } = manifestOf(s, 7, 1_000);
  const dir = tmp();
  const files = new CheckpointFiles(dir);
  const w = files.begin(7);
  for (const c of chunks) w.addChunk(c);
  assert.equal(files.manifest(7), undefined, 'not visible before commit');
  w.commit(manifest);
  // An interrupted write of another version and a directory without a manifest.
  const interrupted = files.begin(9);
  interrupted.addChunk(chunks[0]!);
  mkdirSync(join(dir, '11', 'chunks'), { recursive: true });
  writeFileSync(join(dir, '11', 'chunks', '0'), chunks[0]!);
  const reopened = new CheckpointFiles(dir);
  assert.deepEqual(
    reopened.list().map((m) => m.version),
    [7],
  );
  assert.deepEqual(readdirSync(dir), ['7']);
  assert.deepEqual(reopened.chunk(7, 0), chunks[0]);
  assert.throws(() => reopened.chunk(7, chunks.length), isCheckpointError(CheckpointErrorCode.chunkNotFound));
  assert.throws(() => reopened.chunk(8, 0), isCheckpointError(CheckpointErrorCode.checkpointNotFound));
  reopened.remove(7);
  assert.deepEqual(new CheckpointFiles(dir).list(), []);
});

test('non-durable checkpoint files sync nothing, and a crash-damaged checkpoint is dropped, never served', async () => {
  const s = await filledState(120);
  const { manifest, chunks } = manifestOf(s, 7, 1_000);
  assert.ok(chunks.length >= 3);
  const fsyncs = mock.method(fs, 'fsyncSync');
  syncBuiltinESMExports();
  const write = (files: CheckpointFiles, version: number) => {
    const w = files.begin(version);
    for (const c of chunks) w.addChunk(c);
    w.commit({ ...manifest, version });
  };
  const dir = tmp();
  try {
    write(new CheckpointFiles(tmp()), 7);
    const durableSyncs = fsyncs.mock.callCount();
    assert.ok(durableSyncs > chunks.length, 'a durable checkpoint syncs every chunk');
    const files = new CheckpointFiles(dir, undefined, { durable: false });
    write(files, 7);
    write(files, 8);
    write(files, 9);
    assert.equal(fsyncs.mock.callCount(), durableSyncs, 'a non-durable checkpoint syncs nothing');
  } finally {
    fsyncs.mock.restore();
    syncBuiltinESMExports();
  }
  // What a crash may leave: a chunk of 8 with garbage (the rename reached the disk, its data did not),
  // and a chunk of 9 missing altogether.
  writeFileSync(join(dir, '8', 'chunks', '1'), new Uint8Array(chunks[1]!.length));
  rmSync(join(dir, '9', 'chunks', '2'));
  const reopened = new CheckpointFiles(dir, undefined, { durable: false });
  assert.deepEqual(
    reopened.list().map((m) => m.version),
    [7, 8],
    'a checkpoint missing chunk files is dropped on open',
  );
  assert.deepEqual(reopened.chunk(7, 1), chunks[1]);
  assert.deepEqual(reopened.chunk(8, 0), chunks[0]);
  assert.throws(() => reopened.chunk(8, 1), isCheckpointError(CheckpointErrorCode.checkpointNotFound));
  assert.equal(reopened.manifest(8), undefined, 'the damaged checkpoint is dropped');
  assert.deepEqual(readdirSync(dir).sort(), ['7']);
});
