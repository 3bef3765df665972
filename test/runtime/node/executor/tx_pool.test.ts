/**
 * The runtime transaction pool: deduplicated by hash, batches taken from the front in arrival order within
 * count and byte limits (each sender's transactions in nonce order), removal by hash, a sender's pending
 * nonce, and a full pool (or sender) refusing with a coded error without changing.
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

  const from = (sender: number, seq: bigint) => ({
    sender: new Uint8Array(21).fill(sender),
    sender_seq: seq,
  });

  it("orders a sender's transactions by nonce, whatever order they arrived in", () => {
    const pool = roomy();
    pool.add(tx(1), from(1, 7n)); // future nonce first
    pool.add(tx(2), from(2, 0n));
    pool.add(tx(3), from(1, 5n));
    pool.add(tx(4), from(1, 6n));
    assert.deepEqual(pool.peek(10, 1_000), [tx(3), tx(4), tx(1), tx(2)], 'sender 1 in nonce order first');
    assert.deepEqual(pool.peek(2, 1_000), [tx(3), tx(4)]);
    pool.remove([sha512_256(tx(3))]);
    assert.deepEqual(pool.peek(10, 1_000), [tx(4), tx(1), tx(2)]);
    // A nonce that does not fit holds back the sender's later ones, not other senders'.
    const tight = roomy();
    tight.add(tx(5, 50), from(1, 0n));
    tight.add(tx(6, 10), from(1, 1n));
    tight.add(tx(7, 10), from(2, 0n));
    assert.deepEqual(tight.peek(10, 40), [tx(7, 10)]);
  });

  it('counts consecutive waiting nonces for the pending nonce', () => {
    const pool = roomy();
    const sender = from(1, 0n).sender;
    assert.equal(pool.nextNonce(sender, 4n), 4n, 'nothing waiting');
    pool.add(tx(1), from(1, 4n));
    pool.add(tx(2), from(1, 5n));
    pool.add(tx(3), from(1, 7n));
    pool.add(tx(4), from(2, 6n));
    assert.equal(pool.nextNonce(sender, 4n), 6n, 'the gap at 6 stops the run');
    assert.equal(pool.nextNonce(sender, 3n), 3n, 'a state nonce below the queue');
    assert.equal(pool.nextNonce(sender, 7n), 8n);
    pool.remove([sha512_256(tx(1))]);
    assert.equal(pool.nextNonce(sender, 5n), 6n);
  });

  it('refuses a second transaction for a waiting nonce and a sender over its limit, changing nothing', () => {
    const pool = new RuntimeTxPool({ maxTxs: 100, maxBytes: 1_000_000, maxPerSender: 2 });
    pool.add(tx(1), from(1, 0n));
    assert.throws(
      () => pool.add(tx(2), from(1, 0n)),
      (err) => CodedError.is(err, 'runtime/txpool', 3),
    );
    pool.add(tx(3), from(1, 1n));
    assert.throws(
      () => pool.add(tx(4), from(1, 2n)),
      (err) => CodedError.is(err, 'runtime/txpool', 2),
    );
    assert.equal(pool.add(tx(5), from(2, 0n)), true, 'other senders still fit');
    assert.equal(pool.size, 3);
    assert.deepEqual(pool.peek(10, 1_000), [tx(1), tx(3), tx(5)]);
    pool.remove([sha512_256(tx(1))]);
    assert.equal(pool.add(tx(4), from(1, 2n)), true, 'room again once one left');
    assert.equal(pool.isFull(), false);
  });

  it('drops transactions admitted before a round, and only those', () => {
    const pool = roomy();
    pool.add(tx(1), from(1, 5n), 10n);
    pool.add(tx(2), from(1, 6n), 12n);
    pool.add(tx(3), undefined, 11n);
    assert.equal(pool.expire(10n), 0, 'none before round 10');
    assert.equal(pool.expire(12n), 2);
    assert.deepEqual(pool.all(), [tx(2)]);
    assert.equal(pool.nextNonce(from(1, 0n).sender, 6n), 7n, "the sender's queue keeps the survivor");
    assert.equal(pool.add(tx(1), from(1, 5n), 13n), true, 'the dropped nonce may come again');
  });
});
