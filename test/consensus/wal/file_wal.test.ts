import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { utf8 } from '../../../src/codec/bytes.ts';
import { WAL_MODULE, WalErrorCode } from '../../../src/consensus/wal/errors.ts';
import { FileWal } from '../../../src/consensus/wal/file_wal.ts';
import { encodeFrame } from '../../../src/consensus/wal/record.ts';
import { listSegments } from '../../../src/consensus/wal/segment.ts';
import { CodedError } from '../../../src/errors.ts';
import { walContract } from './wal_contract.ts';

const root = mkdtempSync(join(tmpdir(), 'oasis-ts-wal-'));
after(() => rmSync(root, { recursive: true, force: true }));
let dirCount = 0;
const freshDir = () => join(root, `wal-${dirCount++}`);
const text = (records: Uint8Array[]) => records.map((r) => Buffer.from(r).toString());
const quiet = { warn: () => {} };
const isCode = (code: number) => (e: unknown) => CodedError.is(e, WAL_MODULE, code);

/** The only segment of a WAL directory. */
function onlySegment(dir: string): string {
  const segments = listSegments(dir);
  assert.equal(segments.length, 1);
  return segments[0]!.path;
}

describe('FileWal', () => {
  walContract(async () => {
    const dir = freshDir();
    const wal = await FileWal.open(dir, quiet);
    return {
      wal,
      restart: async () => {
        await wal.close();
        return FileWal.open(dir, quiet);
      },
    };
  });

  it('creates its directory and segment private to the node', async () => {
    const dir = freshDir();
    const wal = await FileWal.open(dir, quiet);
    await wal.close();
    assert.equal(statSync(dir).mode & 0o777, 0o700);
    assert.equal(statSync(onlySegment(dir)).mode & 0o777, 0o600);
  });

  it('frames records as [crc32][len][kind|payload], big-endian', async () => {
    const dir = freshDir();
    const wal = await FileWal.open(dir, quiet);
    await wal.writeSync(utf8('hi'));
    await wal.close();
    // crc32 of 00 68 69 is 0x660be141 (Python's zlib.crc32 agrees); length 3.
    assert.equal(readFileSync(onlySegment(dir)).toString('hex'), '660be14100000003006869');
  });

  it('buffers write() in memory and reaches the file only at a sync', async () => {
    const dir = freshDir();
    const wal = await FileWal.open(dir, quiet);
    wal.write(utf8('buffered'));
    assert.equal(statSync(onlySegment(dir)).size, 0);
    await wal.flush();
    assert.equal(statSync(onlySegment(dir)).size, 8 + 1 + 8);
    await wal.close();
  });

  it('hands a full buffer to the OS without waiting for a sync', async () => {
    const dir = freshDir();
    const wal = await FileWal.open(dir, { ...quiet, bufferBytes: 100 });
    wal.write(new Uint8Array(60));
    assert.equal(statSync(onlySegment(dir)).size, 0);
    wal.write(new Uint8Array(60));
    assert.equal(statSync(onlySegment(dir)).size, 2 * (8 + 1 + 60));
    await wal.close();
  });

  it('survives a crash at every byte of the last records with exactly the whole records', async () => {
    const dir = freshDir();
    const wal = await FileWal.open(dir, quiet);
    await wal.endHeight(5);
    const names = ['proposal', 'prevote-a', 'prevote-b', 'own-precommit'];
    const ends: number[] = [];
    for (const name of names) {
      await wal.writeSync(utf8(name));
      ends.push(statSync(onlySegment(dir)).size);
    }
    await wal.close();
    const full = onlySegment(dir);
    const firstCut = ends[1]!; // crash anywhere in the last two records
    for (let cut = firstCut; cut <= ends[3]!; cut++) {
      const crashed = freshDir();
      mkdirSync(crashed);
      copyFileSync(full, join(crashed, 'wal.0000000001'));
      truncateSync(join(crashed, 'wal.0000000001'), cut);
      const warnings: string[] = [];
      const reopened = await FileWal.open(crashed, { warn: (m) => warnings.push(m) });
      const survivors = ends.filter((end) => end <= cut).length;
      const { records } = await reopened.readAfterEndHeight(5);
      assert.deepEqual(text(records), names.slice(0, survivors), `cut at ${cut}`);
      assert.equal(warnings.length, ends.includes(cut) ? 0 : 1, `warnings at cut ${cut}`);
      // The log is usable after recovery: a new record lands right after the survivors.
      await reopened.writeSync(utf8('next'));
      assert.deepEqual(text((await reopened.readAfterEndHeight(5)).records), [
        ...names.slice(0, survivors),
        'next',
      ]);
      await reopened.close();
      rmSync(crashed, { recursive: true });
    }
  });

  it('truncates a last record whose CRC does not match', async () => {
    const dir = freshDir();
    const wal = await FileWal.open(dir, quiet);
    await wal.endHeight(1);
    await wal.writeSync(utf8('kept'));
    await wal.writeSync(utf8('garbled'));
    await wal.close();
    const path = onlySegment(dir);
    const data = readFileSync(path);
    data[data.length - 1]! ^= 0xff;
    writeFileSync(path, data);
    const warnings: string[] = [];
    const reopened = await FileWal.open(dir, { warn: (m) => warnings.push(m) });
    assert.deepEqual(text((await reopened.readAfterEndHeight(1)).records), ['kept']);
    assert.match(warnings[0]!, /CRC mismatch/);
    assert.equal(statSync(path).size, data.length - (8 + 1 + 7));
    await reopened.close();
  });

  it('truncates a zero-filled tail, as a crash after the file grew can leave', async () => {
    const dir = freshDir();
    const wal = await FileWal.open(dir, quiet);
    await wal.endHeight(1);
    await wal.writeSync(utf8('kept'));
    await wal.close();
    const path = onlySegment(dir);
    const size = statSync(path).size;
    writeFileSync(path, new Uint8Array(4096), { flag: 'a' });
    const reopened = await FileWal.open(dir, quiet);
    assert.deepEqual(text((await reopened.readAfterEndHeight(1)).records), ['kept']);
    assert.equal(statSync(path).size, size);
    await reopened.close();
  });

  it('refuses to open on corruption before the tail, and repair cuts it off', async () => {
    const dir = freshDir();
    const wal = await FileWal.open(dir, quiet);
    await wal.endHeight(1);
    await wal.writeSync(utf8('first'));
    await wal.writeSync(utf8('second'));
    await wal.writeSync(utf8('third'));
    await wal.close();
    const path = onlySegment(dir);
    const data = readFileSync(path);
    const secondStart = 8 + 1 + 8 + (8 + 1 + 5);
    data[secondStart + 10]! ^= 0x01;
    writeFileSync(path, data);
    await assert.rejects(FileWal.open(dir, quiet), (e) => {
      assert.ok(isCode(WalErrorCode.corrupt)(e));
      assert.match((e as Error).message, new RegExp(`offset ${secondStart}`));
      return true;
    });
    const repaired = await FileWal.open(dir, { ...quiet, repair: true });
    assert.deepEqual(text((await repaired.readAfterEndHeight(1)).records), ['first']);
    await repaired.close();
  });

  it('refuses a garbage length field with data after it', async () => {
    const dir = freshDir();
    mkdirSync(dir);
    const good = encodeFrame({ kind: 'record', data: utf8('ok') });
    const bad = new Uint8Array(8).fill(0xff);
    writeFileSync(join(dir, 'wal.0000000001'), Buffer.concat([good, bad, good]));
    await assert.rejects(FileWal.open(dir, quiet), isCode(WalErrorCode.corrupt));
  });

  it('rotates at a height boundary, drops old segments, and replays across a restart', async () => {
    const dir = freshDir();
    const opts = { ...quiet, segmentBytes: 200 };
    let wal = await FileWal.open(dir, opts);
    for (let h = 1; h <= 10; h++) {
      await wal.endHeight(h - 1);
      for (let i = 0; i < 5; i++) wal.write(utf8(`h${h}-r${i}-${'x'.repeat(20)}`));
      await wal.flush();
    }
    await wal.endHeight(10);
    await wal.writeSync(utf8('in progress'));
    const segments = listSegments(dir);
    assert.equal(segments.length, 1);
    assert.ok(segments[0]!.seq > 1, 'rotated at least once');
    await wal.close();
    wal = await FileWal.open(dir, opts);
    assert.deepEqual(text((await wal.readAfterEndHeight(10)).records), ['in progress']);
    await wal.close();
  });

  it('recovers from a crash in the middle of a rotation', async () => {
    const dir = freshDir();
    const wal = await FileWal.open(dir, quiet);
    await wal.endHeight(2);
    await wal.writeSync(utf8('a'));
    await wal.close();
    // The new segment was created but its marker never reached the disk.
    writeFileSync(join(dir, 'wal.0000000002'), new Uint8Array(5));
    const reopened = await FileWal.open(dir, quiet);
    assert.deepEqual(text((await reopened.readAfterEndHeight(2)).records), ['a']);
    await reopened.writeSync(utf8('b'));
    await reopened.close();
    assert.deepEqual(readdirSync(dir).sort(), ['wal.0000000001', 'wal.0000000002']);
    const again = await FileWal.open(dir, quiet);
    assert.deepEqual(text((await again.readAfterEndHeight(2)).records), ['a', 'b']);
    await again.close();
  });

  it('fails writes beyond the segment hard cap with a clear error', async () => {
    const dir = freshDir();
    const wal = await FileWal.open(dir, { ...quiet, maxSegmentBytes: 100 });
    wal.write(new Uint8Array(50));
    assert.throws(() => wal.write(new Uint8Array(50)), isCode(WalErrorCode.segmentFull));
    await wal.close();
  });
});

describe('FileWal write failure', () => {
  it('fails the write, refuses further use, and leaves only whole records on disk', () => {
    const dir = freshDir();
    const child = join(import.meta.dirname, 'write_failure_child.ts');
    // An 8 KiB file-size limit makes the 9th record's write come up short and the retry fail with EFBIG.
    const out = execFileSync(
      'bash',
      ['-c', 'ulimit -f 8 && exec "$0" --import tsx "$1" "$2"', process.execPath, child, dir],
      { encoding: 'utf8' },
    );
    const { synced, codes } = JSON.parse(out) as { synced: number; codes: number[] };
    assert.deepEqual(codes, [WalErrorCode.io, WalErrorCode.unusable]);
    assert.equal(synced, Math.floor((8192 - 17) / 1009));
    assert.equal(statSync(onlySegment(dir)).size, 17 + synced * 1009, 'partial frame cut off');
  });
});
