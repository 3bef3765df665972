import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { memoryState, StateOverlay } from '../../src/state/overlay.ts';

const b = (...xs: number[]) => Uint8Array.from(xs);

describe('state overlay', () => {
  it('reads through empty and non-empty levels, newest write first', () => {
    const base = memoryState();
    base.set(b(1), b(10));
    base.set(b(2), b(20));
    const outer = new StateOverlay(base);
    const inner = new StateOverlay(outer);
    assert.deepEqual(inner.get(b(1)), b(10), 'an empty overlay reads its parent');
    outer.set(b(1), b(11));
    outer.remove(b(2));
    assert.deepEqual(inner.get(b(1)), b(11));
    assert.equal(inner.get(b(2)), undefined, 'a removal above hides the value below');
    inner.set(b(2), b(22));
    assert.deepEqual(inner.get(b(2)), b(22));
    assert.equal(outer.get(b(2)), undefined, 'nothing reaches the parent before commit');
  });

  it('merges entries in key order and commits or discards as a unit', () => {
    const base = memoryState();
    base.set(b(1, 1), b(1));
    base.set(b(1, 3), b(3));
    base.set(b(2, 1), b(9));
    const o = new StateOverlay(base);
    o.set(b(1, 2), b(2));
    o.remove(b(1, 3));
    o.set(b(1, 4), b(4));
    assert.deepEqual(
      [...o.entries(b(1))].map(([k, v]) => [k[1], v[0]]),
      [
        [1, 1],
        [2, 2],
        [4, 4],
      ],
    );
    const scratch = new StateOverlay(o);
    scratch.set(b(1, 5), b(5));
    scratch.discard();
    assert.equal(o.get(b(1, 5)), undefined);
    o.commitTo(base);
    assert.equal(base.get(b(1, 3)), undefined);
    assert.deepEqual(base.get(b(1, 4)), b(4));
    assert.equal(o.writes().length, 0);
  });

  it('commits to a plain writer in key order, and an overlay taken over stays independent', () => {
    const o = memoryState();
    o.set(b(3), b(3));
    o.set(b(1), b(1));
    o.remove(b(2));
    const calls: string[] = [];
    o.commitTo({
      get: () => undefined,
      entries: () => [],
      set: (k, v) => calls.push(`set ${k[0]}=${v[0]}`),
      remove: (k) => calls.push(`remove ${k[0]}`),
    });
    assert.deepEqual(calls, ['set 1=1', 'remove 2', 'set 3=3']);
    const parent = memoryState();
    const child = new StateOverlay(parent);
    child.set(b(5), b(5));
    child.commitTo(parent);
    child.set(b(5), b(6));
    assert.deepEqual(parent.get(b(5)), b(5), 'a later write to the child does not reach the parent');
  });

  it('keeps its own copy of what it is given', () => {
    const o = memoryState();
    const value = b(7);
    o.set(b(1), value);
    value[0] = 8;
    assert.deepEqual(o.get(b(1)), b(7));
  });
});
