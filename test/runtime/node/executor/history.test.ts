/**
 * Runtime history in LMDB: blocks by round with the consensus height that finalized them, the executed
 * transactions of the rounds that had them, idempotent re-recording, and all of it after a reopen.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { utf8 } from '../../../../src/codec/bytes.ts';
import type { AnnotatedBlock } from '../../../../src/runtime/node/client/api.ts';
import { RuntimeHistory } from '../../../../src/runtime/node/executor/history.ts';
import {
  type Block,
  genesisBlock,
  HeaderType,
  nextBlock,
} from '../../../../src/services/roothash/api/block.ts';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'oasis-ts-history-'));
  dirs.push(d);
  return d;
};

const namespace = new Uint8Array(32).fill(0x42);
const root = (i: number) => new Uint8Array(32).fill(i);

/** Rounds 5..5+n-1: genesis at round 5, then normal blocks with distinct state roots. */
function chain(n: number): AnnotatedBlock[] {
  const out: AnnotatedBlock[] = [];
  let b: Block = genesisBlock(namespace, 5n, root(1), 1_000);
  for (let i = 0; i < n; i++) {
    out.push({ consensusHeight: 100n + BigInt(i) * 3n, block: b });
    b = nextBlock(b, 1_000 + i + 1, HeaderType.normal, {
      io_root: root(50 + i),
      state_root: root(2 + i),
      messages_hash: root(0),
      in_msgs_hash: root(0),
    });
  }
  return out;
}

const txsOf = (round: number) => [
  { tx: utf8(`tx a of ${round}`), result: utf8('ok'), events: [] },
  {
    tx: utf8(`tx b of ${round}`),
    result: new Uint8Array([0xa1, 0x61, 0x65, 0x00]),
    events: [{ key: utf8('accounts\0\0\0\x01'), value: utf8(`event of ${round}`) }],
  },
];

describe('runtime history', () => {
  it('is empty when new', async () => {
    const h = RuntimeHistory.open(tempDir());
    assert.equal(h.latest(), undefined);
    assert.equal(h.earliest(), undefined);
    assert.equal(h.block(0n), undefined);
    assert.deepEqual(h.transactions(0n), []);
    await h.close();
  });

  it('records blocks with and without transactions and answers by round', async () => {
    const blocks = chain(4); // rounds 5, 6, 7, 8
    const h = RuntimeHistory.open(tempDir());
    await h.record(blocks[0]!);
    await h.record(blocks[1]!, txsOf(6));
    await h.record(blocks[2]!, []);
    await h.record(blocks[3]!, txsOf(8));
    assert.deepEqual(h.earliest(), blocks[0]);
    assert.deepEqual(h.latest(), blocks[3]);
    for (const b of blocks) assert.deepEqual(h.block(b.block.header.round), b);
    assert.equal(h.block(4n), undefined);
    assert.equal(h.block(9n), undefined);
    assert.deepEqual(h.transactions(5n), [], 'recorded without transactions');
    assert.deepEqual(h.transactions(6n), txsOf(6));
    assert.deepEqual(h.transactions(7n), [], 'an empty batch');
    assert.deepEqual(h.transactions(8n), txsOf(8));
    assert.deepEqual(h.transactions(9n), []);
    await h.close();
  });

  it('orders rounds numerically, across byte boundaries, whatever the recording order', async () => {
    const h = RuntimeHistory.open(tempDir());
    const at = (round: bigint, height: bigint): AnnotatedBlock => ({
      consensusHeight: height,
      block: genesisBlock(namespace, round, root(3), 0),
    });
    await h.record(at(256n, 2n));
    await h.record(at(255n, 1n), txsOf(255));
    await h.record(at(2n ** 40n, 3n));
    await h.record(at(1n, 4n));
    assert.equal(h.latest()?.block.header.round, 2n ** 40n);
    assert.equal(h.earliest()?.block.header.round, 1n);
    assert.equal(h.block(255n)?.consensusHeight, 1n);
    await h.close();
  });

  it('re-recording a block changes nothing and keeps its transactions', async () => {
    const blocks = chain(3);
    const h = RuntimeHistory.open(tempDir());
    for (const b of blocks) await h.record(b, txsOf(Number(b.block.header.round)));
    await h.record(blocks[1]!, txsOf(6));
    await h.record(blocks[1]!);
    await h.record(blocks[0]!);
    assert.deepEqual(h.latest(), blocks[2], 'an older block does not become the latest');
    assert.deepEqual(h.earliest(), blocks[0]);
    assert.deepEqual(h.block(6n), blocks[1]);
    assert.deepEqual(h.transactions(6n), txsOf(6));
    assert.deepEqual(h.transactions(5n), txsOf(5));
    await h.close();
  });

  it('survives close and reopen', async () => {
    const dir = tempDir();
    const blocks = chain(5);
    const first = RuntimeHistory.open(dir);
    for (const b of blocks)
      await first.record(
        b,
        b.block.header.round % 2n === 0n ? txsOf(Number(b.block.header.round)) : undefined,
      );
    await first.close();

    const second = RuntimeHistory.open(dir);
    assert.deepEqual(second.latest(), blocks[4]);
    assert.deepEqual(second.earliest(), blocks[0]);
    for (const b of blocks) assert.deepEqual(second.block(b.block.header.round), b);
    assert.deepEqual(second.transactions(6n), txsOf(6));
    assert.deepEqual(second.transactions(7n), []);
    assert.deepEqual(second.transactions(8n), txsOf(8));
    const more = chain(6)[5]!;
    await second.record(more);
    assert.deepEqual(second.latest(), more);
    await second.close();

    const third = RuntimeHistory.open(dir);
    assert.deepEqual(third.latest(), more);
    await third.close();
  });
});
