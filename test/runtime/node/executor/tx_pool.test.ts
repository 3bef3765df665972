/**
 * The runtime transaction pool: deduplicated by hash, batches taken from the front in arrival order within
 * count and byte limits, removal by hash, and a full pool refusing with a coded error without changing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sha512_256 } from '../../../../src/crypto/hash.ts';
import { CodedError } from '../../../../src/errors.ts';
import { RuntimeTxPool } from '../../../../src/runtime/node/executor/tx_pool.ts';

/** A transaction of `size` bytes, distinct per `tag`. */
const tx = (tag: number, size = 10) => new Uint8Array(size).fill(tag);
const isPoolFull = (err: unknown) => CodedError.is(err, 'runtime/txpool', 1);
const roomy = () => new RuntimeTxPool({ maxTxs: 100, maxBytes: 1_000_000 });

describe('runtime transaction pool', () => {
  it('deduplicates by hash', () => {
    const pool = roomy();
    assert.equal(pool.add(tx(1)), true);
    assert.equal(pool.add(tx(1)), false, 'same bytes again');
    assert.equal(pool.add(tx(2)), true);
    assert.equal(pool.size, 2);
    assert.equal(pool.has(sha512_256(tx(1))), true);
    assert.equal(pool.has(sha512_256(tx(3))), false);
    assert.deepEqual(pool.peek(10, 1_000), [tx(1), tx(2)]);
  });

  it('peek returns the oldest first and leaves them in the pool', () => {
    const pool = roomy();
    for (const t of [5, 3, 9, 1]) pool.add(tx(t));
    assert.deepEqual(pool.peek(10, 1_000), [tx(5), tx(3), tx(9), tx(1)]);
    assert.equal(pool.size, 4);
    assert.deepEqual(pool.peek(2, 1_000), [tx(5), tx(3)], 'count limit');
    assert.deepEqual(pool.peek(10, 30), [tx(5), tx(3), tx(9)], 'byte limit, exactly full');
    assert.deepEqual(pool.peek(10, 29), [tx(5), tx(3)]);
    assert.deepEqual(pool.peek(0, 1_000), []);
    assert.deepEqual(pool.peek(10, 0), []);
  });

  it('peek skips a transaction that does not fit to fill the batch with later smaller ones', () => {
    const pool = roomy();
    pool.add(tx(1, 60));
    pool.add(tx(2, 50)); // 110: would overflow 100 after the first
    pool.add(tx(3, 30)); // 90
    pool.add(tx(4, 20)); // 110: would overflow after the third
    pool.add(tx(5, 10)); // 100
    assert.deepEqual(pool.peek(10, 100), [tx(1, 60), tx(3, 30), tx(5, 10)]);
    // The skipped one is still first in line: once the batch before it is gone it leads the next batch.
    pool.remove([tx(1, 60), tx(3, 30), tx(5, 10)].map((t) => sha512_256(t)));
    assert.deepEqual(pool.peek(10, 100), [tx(2, 50), tx(4, 20)]);
    // One larger than a whole batch is never taken, but does not block the others.
    const big = roomy();
    big.add(tx(6, 101));
    big.add(tx(7, 10));
    assert.deepEqual(big.peek(10, 100), [tx(7, 10)]);
  });

  it('removes by hash, ignoring unknown hashes, and frees the bytes', () => {
    const pool = new RuntimeTxPool({ maxTxs: 10, maxBytes: 30 });
    for (const t of [1, 2, 3]) pool.add(tx(t));
    assert.throws(() => pool.add(tx(4)), isPoolFull);
    pool.remove([sha512_256(tx(2)), sha512_256(tx(9)), sha512_256(tx(2))]);
    assert.equal(pool.size, 2);
    assert.equal(pool.has(sha512_256(tx(2))), false);
    assert.deepEqual(pool.peek(10, 1_000), [tx(1), tx(3)]);
    assert.equal(pool.add(tx(4)), true, 'the removed bytes are free again');
    assert.deepEqual(pool.peek(10, 1_000), [tx(1), tx(3), tx(4)]);
    // A removed transaction can come back, at the end of the line.
    pool.remove([sha512_256(tx(1))]);
    assert.equal(pool.add(tx(1)), true);
    assert.deepEqual(pool.peek(10, 1_000), [tx(3), tx(4), tx(1)]);
  });

  it('refuses beyond its count limit and changes nothing', () => {
    const pool = new RuntimeTxPool({ maxTxs: 2, maxBytes: 1_000 });
    pool.add(tx(1));
    pool.add(tx(2));
    assert.throws(() => pool.add(tx(3)), isPoolFull);
    assert.equal(pool.size, 2);
    assert.equal(pool.has(sha512_256(tx(3))), false);
    assert.deepEqual(pool.peek(10, 1_000), [tx(1), tx(2)]);
    assert.equal(pool.add(tx(1)), false, 'a duplicate is not an error when full');
  });

  it('refuses beyond its byte limit and changes nothing', () => {
    const pool = new RuntimeTxPool({ maxTxs: 100, maxBytes: 25 });
    pool.add(tx(1, 20));
    assert.throws(() => pool.add(tx(2, 6)), isPoolFull);
    assert.equal(pool.size, 1);
    assert.equal(pool.add(tx(3, 5)), true, 'exactly at the limit fits');
    assert.throws(() => pool.add(tx(4, 1)), isPoolFull);
    assert.deepEqual(pool.peek(10, 1_000), [tx(1, 20), tx(3, 5)]);
    assert.throws(() => new RuntimeTxPool({ maxTxs: 10, maxBytes: 5 }).add(tx(1, 6)), isPoolFull);
  });
});
