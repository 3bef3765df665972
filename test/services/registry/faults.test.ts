import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { emptyNodeStatus } from '../../../src/services/registry/api/status.ts';
import { isSuspended, recordFailure, recordSuccess } from '../../../src/services/registry/faults.ts';

const rt = (b: number) => new Uint8Array(32).fill(b);

describe('liveness faults', () => {
  it('suspend for 2^failures epochs (capped at 64), forgive one failure per success', () => {
    const status = emptyNodeStatus();
    recordFailure(status, rt(1), 10n);
    assert.deepEqual([...status.faults.values()], [{ failures: 1, suspended_until: 12n }]);
    assert.equal(isSuspended(status, rt(1), 11n), true);
    assert.equal(isSuspended(status, rt(1), 12n), false);
    assert.equal(isSuspended(status, rt(2), 11n), false);
    // The same runtime ID in a fresh array finds the same fault.
    recordFailure(status, rt(1), 10n);
    assert.equal(status.faults.size, 1);
    assert.equal([...status.faults.values()][0]!.suspended_until, 14n);
    for (let i = 0; i < 6; i++) recordFailure(status, rt(1), 10n);
    assert.deepEqual([...status.faults.values()], [{ failures: 8, suspended_until: 74n }]);
    recordSuccess(status, rt(1), 20n);
    assert.deepEqual([...status.faults.values()], [{ failures: 7, suspended_until: 84n }]);
    for (let i = 0; i < 7; i++) recordSuccess(status, rt(1), 20n);
    assert.equal(status.faults.size, 0);
    assert.equal(isSuspended(status, rt(1), 20n), false);
  });

  it('a frozen node is suspended from every runtime', () => {
    const status = emptyNodeStatus();
    status.freeze_end_time = 5n;
    assert.equal(isSuspended(status, rt(3), 100n), true);
  });
});
