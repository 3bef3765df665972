import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fixedIntervalEpochs } from '../../../src/services/mux/epoch.ts';
import { GasMeter } from '../../../src/services/mux/gas.ts';
import { memoryState } from '../../../src/state/overlay.ts';

describe('gas meter', () => {
  it('charges ops by cost, refuses what does not fit, and charges nothing on refusal', () => {
    const block = new GasMeter(1500n);
    const tx = new GasMeter(1000n, block);
    tx.useOp(2n, 'transfer', { transfer: 300n });
    assert.equal(tx.used, 600n);
    assert.equal(block.used, 600n);
    tx.useOp(5n, 'unpriced', {});
    assert.throws(() => tx.use(401n), /out of gas/);
    assert.equal(tx.used, 600n);
    const next = new GasMeter(1000n, block);
    assert.equal(next.remaining, 900n, 'the block budget is the tighter limit');
    assert.throws(() => next.use(901n), /out of gas/);
  });
});

describe('fixed-interval epochs', () => {
  it('changes epoch at multiples of the interval', () => {
    const e = fixedIntervalEpochs(5);
    const s = memoryState();
    assert.deepEqual(
      [4, 5, 9, 10].map((h) => e.currentEpoch(s, h)),
      [0n, 1n, 1n, 2n],
    );
    assert.deepEqual(
      [0, 4, 5, 6, 10].map((h) => e.epochChanged(s, h)),
      [false, false, true, false, true],
    );
    assert.throws(() => fixedIntervalEpochs(0));
  });
});
