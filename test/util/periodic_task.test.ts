import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PeriodicTask } from '../../src/util/periodic_task.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('PeriodicTask', () => {
  it('runs passes one after another, goes on after a failing one, and stop waits for the pass in progress', async () => {
    let running = 0;
    let overlapped = false;
    let passes = 0;
    let finished = 0;
    const errors: string[] = [];
    const task = new PeriodicTask(
      async () => {
        passes++;
        running++;
        overlapped ||= running > 1;
        await sleep(15);
        running--;
        finished++;
        if (passes === 1) throw new Error('first pass fails');
      },
      1,
      (err) => errors.push(err.message),
    );
    task.start();
    while (passes < 4) await sleep(5);
    await task.stop();
    assert.equal(task.stopped, true);
    assert.equal(overlapped, false, 'never two passes at once');
    assert.equal(finished, passes, 'stop waited for the pass in progress');
    assert.deepEqual(errors, ['first pass fails']);
    const after = passes;
    await sleep(30);
    assert.equal(passes, after, 'no pass after stop');
  });
});
