/**
 * Admission checks batched: checks arriving together go in one call, those arriving while a call runs
 * go together in the next, results reach their callers in order, and a failed call fails its own batch only.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CheckBatcher } from '../../../../src/runtime/node/executor/check_batcher.ts';
import type { CheckTxResult } from '../../../../src/runtime/protocol/types.ts';

const tx = (tag: number) => new Uint8Array([tag]);
/** A check whose result names the transaction (its byte as the error code). */
const echo = (inputs: Uint8Array[]): CheckTxResult[] => inputs.map((t) => ({ error: { code: t[0]! } }));

describe('check batcher', () => {
  it('checks what arrives together in one call, and what arrives during a call in the next', async () => {
    const calls: number[][] = [];
    let release: () => void = () => {};
    const batcher = new CheckBatcher(async (inputs) => {
      calls.push(inputs.map((t) => t[0]!));
      if (calls.length === 1) await new Promise<void>((r) => (release = r));
      return echo(inputs);
    });
    const first = [1, 2, 3].map((n) => batcher.check(tx(n)));
    await new Promise((r) => setImmediate(r));
    const second = [4, 5].map((n) => batcher.check(tx(n)));
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(calls, [[1, 2, 3]], 'the second group waits for the running call');
    release();
    const results = await Promise.all([...first, ...second]);
    assert.deepEqual(
      results.map((r) => r.error.code),
      [1, 2, 3, 4, 5],
    );
    assert.deepEqual(calls, [
      [1, 2, 3],
      [4, 5],
    ]);
  });

  it('splits at the batch limit', async () => {
    const calls: number[] = [];
    const batcher = new CheckBatcher(async (inputs) => {
      calls.push(inputs.length);
      return echo(inputs);
    }, 2);
    const results = await Promise.all([1, 2, 3, 4, 5].map((n) => batcher.check(tx(n))));
    assert.deepEqual(
      results.map((r) => r.error.code),
      [1, 2, 3, 4, 5],
    );
    assert.deepEqual(calls, [2, 2, 1]);
  });

  it('fails the callers of a failed call, and of a short answer, and goes on', async () => {
    let call = 0;
    const batcher = new CheckBatcher(async (inputs) => {
      call++;
      if (call === 1) throw new Error('runtime down');
      if (call === 2) return echo(inputs).slice(0, -1);
      return echo(inputs);
    });
    await assert.rejects(batcher.check(tx(1)), /runtime down/);
    const short = [2, 3].map((n) => batcher.check(tx(n)));
    assert.equal((await short[0]!).error.code, 2);
    await assert.rejects(short[1]!, /fewer check results/);
    assert.equal((await batcher.check(tx(4))).error.code, 4);
  });
});
