import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { utf8 } from '../../../src/codec/bytes.ts';
import { WAL_MODULE, WalErrorCode } from '../../../src/consensus/wal/errors.ts';
import { MemoryWal } from '../../../src/consensus/wal/memory_wal.ts';
import { CodedError } from '../../../src/errors.ts';
import { walContract } from './wal_contract.ts';

const text = (records: Uint8Array[]) => records.map((r) => Buffer.from(r).toString());
const isUnusable = (e: unknown) => CodedError.is(e, WAL_MODULE, WalErrorCode.unusable);

describe('MemoryWal', () => {
  walContract(async () => {
    const wal = new MemoryWal();
    return {
      wal,
      restart: async () => {
        await wal.close();
        return wal.reopen();
      },
    };
  });

  it('loses on crash exactly what was written but not synced', async () => {
    const disk = new MemoryWal();
    await disk.endHeight(1);
    await disk.writeSync(utf8('own prevote'));
    disk.write(utf8('peer vote'));
    disk.write(utf8('timeout'));
    assert.equal(disk.entryCount, 4);
    assert.equal(disk.durableEntryCount, 2);
    disk.crash();
    const after = disk.reopen();
    assert.deepEqual(text((await after.readAfterEndHeight(1)).records), ['own prevote']);
  });

  it('loses a lazily written height marker in a crash before the next sync', async () => {
    const disk = new MemoryWal();
    await disk.endHeight(1);
    await disk.writeSync(utf8('own precommit'));
    disk.markEndHeight(2);
    disk.write(utf8('peer vote of height 3'));
    disk.crash();
    const after = disk.reopen();
    assert.deepEqual(await after.readAfterEndHeight(2), { found: false, records: [] });
    assert.deepEqual(text((await after.readAfterEndHeight(1)).records), ['own precommit']);
  });

  it('keeps a record synced before a crash between write and send', async () => {
    const disk = new MemoryWal();
    await disk.endHeight(3);
    disk.write(utf8('proposal from peer'));
    await disk.writeSync(utf8('own precommit'));
    disk.crash();
    const after = disk.reopen();
    assert.deepEqual(text((await after.readAfterEndHeight(3)).records), [
      'proposal from peer',
      'own precommit',
    ]);
  });

  it('kills the crashed handle, so a zombie engine cannot write', async () => {
    const disk = new MemoryWal();
    const handle = disk.reopen();
    await handle.endHeight(1);
    disk.crash();
    assert.throws(() => handle.write(utf8('late')), isUnusable);
    const next = disk.reopen();
    assert.throws(() => handle.write(utf8('late')), isUnusable);
    await next.writeSync(utf8('ok'));
    assert.deepEqual(text((await next.readAfterEndHeight(1)).records), ['ok']);
  });

  it('copies records, so a caller mutating its buffer cannot change the log', async () => {
    const wal = new MemoryWal();
    await wal.endHeight(1);
    const buf = utf8('abc');
    await wal.writeSync(buf);
    buf[0] = 0x7a;
    const first = (await wal.readAfterEndHeight(1)).records[0]!;
    first[1] = 0x7a;
    assert.deepEqual(text((await wal.readAfterEndHeight(1)).records), ['abc']);
  });
});
