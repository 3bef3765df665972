import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toHex } from '../../src/codec/bytes.ts';
import { decodeCanonical, encodeCanonical } from '../../src/codec/cbor.ts';
import type { CheckTxKind, CheckTxResponse } from '../../src/consensus/api/application.ts';
import { transactionHash } from '../../src/consensus/api/transaction.ts';
import { CodedError } from '../../src/errors.ts';
import { Mempool } from '../../src/mempool/mempool.ts';

/**
 * A small real check-state machine: txs are CBOR {s: sender, n: nonce, f: fee}; the check state tracks the
 * next nonce per sender and a balance that pays fees, like the consensus app's check state does. `commit`
 * plays a block: it advances the committed nonces and resets the check state to them.
 */
class NonceApp {
  committed = new Map<string, number>();
  check = new Map<string, number>();
  balance = new Map<string, number>();
  calls: CheckTxKind[] = [];

  async checkTx(raw: Uint8Array, kind: CheckTxKind): Promise<CheckTxResponse> {
    this.calls.push(kind);
    const tx = decodeCanonical(raw) as { s: string; n: number; f: number };
    const next = this.check.get(tx.s) ?? 0;
    if (tx.n !== next) {
      return {
        error: { module: 'consensus/transaction', code: 1, message: 'invalid nonce' },
        priority: 0n,
        gasWanted: 0n,
      };
    }
    const bal = this.balance.get(tx.s) ?? 1000;
    if (bal < tx.f)
      return {
        error: { module: 'staking', code: 10, message: 'balance too low' },
        priority: 0n,
        gasWanted: 0n,
      };
    this.balance.set(tx.s, bal - tx.f);
    this.check.set(tx.s, next + 1);
    return {
      priority: BigInt(tx.f),
      sender: new TextEncoder().encode(tx.s),
      nonce: BigInt(tx.n),
      gasWanted: 1n,
    };
  }

  /** Re-checks start from the committed state. */
  beginRecheck(): void {
    this.check = new Map(this.committed);
  }

  commit(txs: Uint8Array[]): void {
    for (const raw of txs) {
      const tx = decodeCanonical(raw) as { s: string; n: number };
      this.committed.set(tx.s, tx.n + 1);
    }
    this.check = new Map(this.committed);
  }
}

const tx = (s: string, n: number, f: number, pad = 0) => encodeCanonical({ s, n, f, p: new Uint8Array(pad) });
const decoded = (txs: Uint8Array[]) =>
  txs.map((t) => decodeCanonical(t) as { s: string; n: number; f: number });

describe('mempool', () => {
  it('orders by fee priority while keeping each sender in nonce order', async () => {
    const app = new NonceApp();
    const pool = new Mempool(app);
    await pool.add(tx('a', 0, 1));
    await pool.add(tx('a', 1, 50));
    await pool.add(tx('b', 0, 10));
    await pool.add(tx('c', 0, 5));
    const order = decoded(pool.reap(1 << 20)).map((t) => `${t.s}${t.n}`);
    // b0 (10) beats c0 (5) beats a0 (1); a1 (50) can only follow a0.
    assert.deepEqual(order, ['b0', 'c0', 'a0', 'a1']);
    assert.equal(pool.size, 4);
  });

  it('rejects duplicates, oversize transactions and application errors with coded errors', async () => {
    const app = new NonceApp();
    const pool = new Mempool(app, { maxTxBytes: 100 });
    await pool.add(tx('a', 0, 1));
    await assert.rejects(pool.add(tx('a', 0, 1)), (e) => CodedError.is(e, 'consensus', 5));
    await assert.rejects(pool.add(tx('a', 1, 1, 200)), (e) => CodedError.is(e, 'consensus', 2));
    await assert.rejects(pool.add(tx('a', 5, 1)), (e) => CodedError.is(e, 'consensus/transaction', 1));
    await assert.rejects(pool.add(tx('z', 0, 5000)), (e) => CodedError.is(e, 'staking', 10));
    assert.equal(pool.size, 1);
  });

  it('accepts a transaction again after an earlier rejection once it becomes valid', async () => {
    const app = new NonceApp();
    const pool = new Mempool(app);
    await assert.rejects(pool.add(tx('a', 1, 1)));
    await pool.add(tx('a', 0, 1));
    await pool.add(tx('a', 1, 1));
    assert.equal(pool.size, 2);
  });

  it('enforces count and byte limits', async () => {
    const app = new NonceApp();
    const pool = new Mempool(app, { maxTxs: 2 });
    await pool.add(tx('a', 0, 1));
    await pool.add(tx('b', 0, 1));
    await assert.rejects(pool.add(tx('c', 0, 1)), (e) => CodedError.is(e, 'mempool', 1));
    const small = new Mempool(new NonceApp(), { maxBytes: 60 });
    await small.add(tx('a', 0, 1, 30));
    await assert.rejects(small.add(tx('b', 0, 1, 30)), (e) => CodedError.is(e, 'mempool', 1));
  });

  it('respects the byte budget of a proposal without breaking nonce order', async () => {
    const app = new NonceApp();
    const pool = new Mempool(app);
    await pool.add(tx('a', 0, 9, 100));
    await pool.add(tx('a', 1, 9, 0));
    await pool.add(tx('b', 0, 1, 0));
    const reaped = decoded(pool.reap(60)).map((t) => `${t.s}${t.n}`);
    assert.deepEqual(reaped, ['b0']);
    assert.equal(pool.reap(1 << 20, 2).length, 2);
  });

  it('drops committed transactions and re-checks the rest after a block', async () => {
    const app = new NonceApp();
    const pool = new Mempool(app);
    const a0 = tx('a', 0, 1);
    await pool.add(a0);
    await pool.add(tx('a', 1, 1));
    await pool.add(tx('b', 0, 1));
    // A competing b0 was committed by another node: our b0 is now stale; a1 still valid after a0.
    const otherB0 = tx('b', 0, 2);
    app.commit([a0, otherB0]);
    await pool.update(1, [a0, otherB0]);
    assert.deepEqual(
      decoded(pool.reap(1 << 20)).map((t) => `${t.s}${t.n}`),
      ['a1'],
    );
    assert.ok(app.calls.includes('recheck'));
    // A committed transaction is remembered and refused as a duplicate.
    await assert.rejects(pool.add(a0), (e) => CodedError.is(e, 'consensus', 5));
  });

  it('evicts transactions that stayed pending longer than the TTL', async () => {
    const app = new NonceApp();
    const pool = new Mempool(app, { ttlBlocks: 2 });
    await pool.add(tx('a', 0, 1));
    app.commit([]);
    await pool.update(1, []);
    assert.equal(pool.size, 1);
    app.commit([]);
    await pool.update(2, []);
    assert.equal(pool.size, 0);
  });

  it('tells why it drops a pending transaction: the re-check error, or expiry after the TTL', async () => {
    const app = new NonceApp();
    const pool = new Mempool(app, { ttlBlocks: 2 });
    const dropped: Array<[string, string, number]> = [];
    pool.onDropped((hash, reason) => dropped.push([toHex(hash), reason.module, reason.code]));
    const a0 = tx('a', 0, 1);
    const b0 = tx('b', 0, 1);
    const c0 = tx('c', 0, 1);
    for (const t of [a0, b0, c0]) await pool.add(t);
    // a0 is in the block; a competing b0 made ours stale; c0 stays.
    app.commit([a0, tx('b', 0, 2)]);
    await pool.update(1, [a0]);
    assert.deepEqual(dropped, [[toHex(transactionHash(b0)), 'consensus/transaction', 1]]);
    app.commit([]);
    await pool.update(2, []);
    assert.deepEqual(dropped[1], [toHex(transactionHash(c0)), 'mempool', 3]);
    assert.equal(dropped.length, 2);
  });

  it('serializes concurrent adds so a sender can submit consecutive nonces at once', async () => {
    const app = new NonceApp();
    const pool = new Mempool(app);
    const results = await Promise.allSettled([0, 1, 2, 3].map((n) => pool.add(tx('a', n, 1))));
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled'],
    );
    const gossiped: number[] = [];
    pool.onAdded((raw) => gossiped.push((decodeCanonical(raw) as { n: number }).n));
    await pool.add(tx('a', 4, 1));
    assert.deepEqual(gossiped, [4]);
  });

  it('checks submissions in arrival order even when their prechecks finish out of order', async () => {
    // Signature verification on a worker pool can finish a later nonce first; the check must not see it first.
    const app = Object.assign(new NonceApp(), {
      precheck: (raw: Uint8Array) =>
        new Promise<void>((r) => setTimeout(r, 40 - 10 * (decodeCanonical(raw) as { n: number }).n)),
    });
    const pool = new Mempool(app);
    const results = await Promise.allSettled([0, 1, 2, 3].map((n) => pool.add(tx('a', n, 1))));
    assert.deepEqual(
      results.map((r) => r.status),
      ['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled'],
    );
    assert.deepEqual(
      decoded(pool.reap(1 << 20)).map((t) => t.n),
      [0, 1, 2, 3],
    );
  });

  it('accepts a nonce that overtook its predecessor on the way in, and still refuses a wrong one', async () => {
    const app = new NonceApp();
    const pool = new Mempool(app);
    const ahead = pool.add(tx('a', 1, 1));
    await new Promise((r) => setTimeout(r, 5));
    await pool.add(tx('a', 0, 1));
    await ahead;
    assert.deepEqual(
      decoded(pool.reap(1 << 20)).map((t) => t.n),
      [0, 1],
    );
    await assert.rejects(pool.add(tx('a', 5, 1)), (e) => CodedError.is(e, 'consensus/transaction', 1));
    assert.equal(pool.size, 2);
  });

  it("commits and re-checks as one step, so a sender's next nonce is not refused in between", async () => {
    const app = new NonceApp();
    const pool = new Mempool(app);
    await pool.add(tx('a', 0, 1));
    const committing = pool.commitAndUpdate(1, [], async () => {
      // The block did not include a0: the new check base expects nonce 0 again until a0 is re-checked.
      app.commit([]);
      await new Promise((r) => setTimeout(r, 10));
    });
    const next = pool.add(tx('a', 1, 1));
    await committing;
    await next;
    assert.deepEqual(
      decoded(pool.reap(1 << 20)).map((t) => `${t.s}${t.n}`),
      ['a0', 'a1'],
    );
  });

  it('refuses at once when full, even while a commit holds the pool, and still answers reads', {
    timeout: 10_000,
  }, async () => {
    const app = new NonceApp();
    const pool = new Mempool(app, { maxTxs: 2 });
    await pool.add(tx('a', 0, 1));
    await pool.add(tx('b', 0, 1));
    let release = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const committing = pool.commitAndUpdate(1, [], () => gate);
    const t0 = Date.now();
    await assert.rejects(pool.add(tx('c', 0, 1)), (e) => CodedError.is(e, 'mempool', 1));
    assert.ok(Date.now() - t0 < 1000, 'refused without waiting for the commit');
    assert.equal(pool.size, 2);
    assert.equal(pool.reap(1 << 20).length, 2);
    release();
    await committing;
    assert.equal(pool.size, 2);
  });

  it('bounds how many submissions wait to be checked; the rest are refused at once', {
    timeout: 10_000,
  }, async () => {
    const app = new NonceApp();
    const pool = new Mempool(app, { maxWaitingChecks: 3 });
    let release = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const committing = pool.commitAndUpdate(1, [], () => gate);
    const adds = [0, 1, 2, 3, 4].map((n) => pool.add(tx('a', n, 1)));
    const early = await Promise.race([Promise.allSettled(adds.slice(3)), committing.then(() => 'late')]);
    assert.notEqual(early, 'late');
    for (const r of early as PromiseSettledResult<unknown>[]) {
      assert.equal(r.status, 'rejected');
      assert.ok(CodedError.is((r as PromiseRejectedResult).reason, 'mempool', 1));
    }
    release();
    await committing;
    const first = await Promise.allSettled(adds.slice(0, 3));
    assert.deepEqual(
      first.map((r) => r.status),
      ['fulfilled', 'fulfilled', 'fulfilled'],
    );
    assert.equal(pool.size, 3);
  });
});
