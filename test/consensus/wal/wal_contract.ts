/**
 * The `ConsensusWal` behaviour every implementation must share, run against each by its own test file so
 * the simulator's in-memory log and the node's file log cannot drift apart.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { utf8 } from '../../../src/codec/bytes.ts';
import type { ConsensusWal } from '../../../src/consensus/api/durability.ts';
import { WAL_MODULE, WalErrorCode } from '../../../src/consensus/wal/errors.ts';
import { MAX_WAL_RECORD_SIZE } from '../../../src/consensus/wal/record.ts';
import { CodedError } from '../../../src/errors.ts';

/** A fresh log plus a way to close it cleanly and open it again ("restart"). */
export interface WalHarness {
  wal: ConsensusWal;
  restart(): Promise<ConsensusWal>;
}

const text = (records: Uint8Array[]) => records.map((r) => Buffer.from(r).toString());

/** Registers the shared contract tests; `fresh` makes a new empty log for each test. */
export function walContract(fresh: () => Promise<WalHarness>): void {
  it('returns the records after a height marker, up to the next marker', async () => {
    const { wal } = await fresh();
    await wal.endHeight(0);
    wal.write(utf8('h1-a'));
    await wal.writeSync(utf8('h1-b'));
    await wal.endHeight(1);
    wal.write(utf8('h2-a'));
    await wal.flush();
    assert.deepEqual(await wal.readAfterEndHeight(0).then((r) => text(r.records)), ['h1-a', 'h1-b']);
    assert.deepEqual(await wal.readAfterEndHeight(1), { found: true, records: [utf8('h2-a')] });
    assert.deepEqual(await wal.readAfterEndHeight(2), { found: false, records: [] });
    await wal.close();
  });

  it('uses the last marker of a height when it was written twice', async () => {
    const { wal } = await fresh();
    await wal.endHeight(4);
    wal.write(utf8('stale'));
    await wal.endHeight(4);
    await wal.writeSync(utf8('fresh'));
    assert.deepEqual(text((await wal.readAfterEndHeight(4)).records), ['fresh']);
  });

  it('serves a lazily written height marker at once, and keeps it once a later sync covers it', async () => {
    const harness = await fresh();
    await harness.wal.endHeight(2);
    harness.wal.write(utf8('h3'));
    harness.wal.markEndHeight(3);
    assert.deepEqual(await harness.wal.readAfterEndHeight(3), { found: true, records: [] });
    await harness.wal.writeSync(utf8('h4 own vote'));
    const reopened = await harness.restart();
    assert.deepEqual(text((await reopened.readAfterEndHeight(2)).records), ['h3']);
    assert.deepEqual(text((await reopened.readAfterEndHeight(3)).records), ['h4 own vote']);
    await reopened.close();
  });

  it('keeps synced records across a clean restart', async () => {
    const harness = await fresh();
    await harness.wal.endHeight(7);
    await harness.wal.writeSync(utf8('vote'));
    harness.wal.write(utf8('timeout'));
    const reopened = await harness.restart();
    assert.deepEqual(text((await reopened.readAfterEndHeight(7)).records), ['vote', 'timeout']);
    await reopened.writeSync(utf8('after'));
    assert.deepEqual(text((await reopened.readAfterEndHeight(7)).records), ['vote', 'timeout', 'after']);
    await reopened.close();
  });

  it('accepts a record of exactly the limit and refuses a larger one', async () => {
    const { wal } = await fresh();
    await wal.endHeight(1);
    await wal.writeSync(new Uint8Array(MAX_WAL_RECORD_SIZE).fill(7));
    assert.throws(
      () => wal.write(new Uint8Array(MAX_WAL_RECORD_SIZE + 1)),
      (e) => CodedError.is(e, WAL_MODULE, WalErrorCode.recordTooLarge),
    );
    const { records } = await wal.readAfterEndHeight(1);
    assert.equal(records.length, 1);
    assert.equal(records[0]!.length, MAX_WAL_RECORD_SIZE);
  });

  it('refuses use after close', async () => {
    const { wal } = await fresh();
    await wal.close();
    assert.throws(
      () => wal.write(utf8('x')),
      (e) => CodedError.is(e, WAL_MODULE, WalErrorCode.unusable),
    );
    await assert.rejects(wal.flush(), (e) => CodedError.is(e, WAL_MODULE, WalErrorCode.unusable));
  });

  it('refuses an invalid end height', async () => {
    const { wal } = await fresh();
    await assert.rejects(wal.endHeight(-1), RangeError);
    await assert.rejects(wal.endHeight(1.5), RangeError);
  });

  it('keeps empty records apart from each other', async () => {
    const { wal } = await fresh();
    await wal.endHeight(0);
    wal.write(new Uint8Array(0));
    await wal.writeSync(new Uint8Array(0));
    assert.deepEqual(await wal.readAfterEndHeight(0), {
      found: true,
      records: [new Uint8Array(0), new Uint8Array(0)],
    });
  });
}
