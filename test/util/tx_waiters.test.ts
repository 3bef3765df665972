import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { CodedError } from '../../src/errors.ts';
import { TxWaiters } from '../../src/util/tx_waiters.ts';

const HASH = new Uint8Array(32).fill(7);
const OTHER = new Uint8Array(32).fill(8);

function registry(timeoutMs = 60_000): TxWaiters<string> {
  return new TxWaiters<string>({
    timeoutMs,
    expired: (ms) => new CodedError('test', 1, `expired after ${ms}`),
  });
}

describe('TxWaiters', () => {
  it('answers every caller waiting on one hash, and only them', async () => {
    const w = registry();
    const first = w.wait(HASH);
    const second = w.wait(HASH);
    const other = w.wait(OTHER);
    assert.equal(w.waiting(HASH), 2);
    assert.equal(w.settle(HASH, 'decided'), true);
    assert.deepEqual(await Promise.all([first, second]), ['decided', 'decided']);
    assert.equal(w.size, 1, 'the other hash still waits');
    w.settle(OTHER, 'x');
    assert.equal(await other, 'x');
    assert.equal(w.size, 0);
  });

  it("fails one caller at its own deadline without touching the other's wait", async () => {
    const w = registry();
    const short = assert.rejects(
      w.wait(HASH, undefined, 10),
      (e) => CodedError.is(e, 'test', 1) && /expired after 10/.test((e as Error).message),
    );
    const long = w.wait(HASH);
    await sleep(30); // deadline timers do not keep the process alive
    await short;
    assert.equal(w.waiting(HASH), 1);
    w.settle(HASH, 'late');
    assert.equal(await long, 'late');
  });

  it('uses the registry deadline by default', async () => {
    const w = registry(5);
    const expired = assert.rejects(w.wait(HASH), /expired after 5/);
    await sleep(30);
    await expired;
    assert.equal(w.size, 0);
  });

  it('fails an aborted caller only, and one whose signal is already aborted at once', async () => {
    const w = registry();
    const ac = new AbortController();
    const aborted = assert.rejects(w.wait(HASH, ac.signal), /cancelled/);
    const kept = w.wait(HASH);
    ac.abort();
    await aborted;
    await assert.rejects(w.wait(HASH, ac.signal), /cancelled/);
    assert.equal(w.waiting(HASH), 1);
    w.settle(HASH, 'ok');
    assert.equal(await kept, 'ok');
  });

  it('releases a hash once all its callers have gone; settling it then answers nobody', async () => {
    const w = registry();
    const a = new AbortController();
    const b = new AbortController();
    const waits = Promise.allSettled([w.wait(HASH, a.signal), w.wait(HASH, b.signal, 10)]);
    a.abort();
    await sleep(30);
    assert.deepEqual(
      (await waits).map((r) => r.status),
      ['rejected', 'rejected'],
    );
    assert.equal(w.size, 0);
    assert.equal(w.settle(HASH, 'nobody'), false);
    // A settled hash holds nothing either: a later wait starts afresh.
    const again = w.wait(HASH);
    w.settle(HASH, 'twice');
    assert.equal(await again, 'twice');
    assert.equal(w.size, 0);
  });

  it('fails the callers of one hash, or of all', async () => {
    const w = registry();
    const one = assert.rejects(w.wait(HASH), /refused/);
    const other = assert.rejects(w.wait(OTHER), /stopping/);
    w.fail(HASH, new Error('refused'));
    await one;
    assert.equal(w.size, 1);
    w.failAll(new Error('stopping'));
    await other;
    assert.equal(w.size, 0);
  });
});
