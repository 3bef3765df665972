import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  checkAgreement,
  checkLiveness,
  checkNoEquivocation,
  checkValidity,
} from '../../../src/consensus/sim/checkers.ts';

describe('simulation checkers', () => {
  it('agreement flags two values at one height only', () => {
    assert.deepEqual(
      checkAgreement([
        { node: 'a', height: 1, value: 'x' },
        { node: 'b', height: 1, value: 'x' },
        { node: 'b', height: 2, value: 'y' },
      ]),
      [],
    );
    assert.equal(
      checkAgreement([
        { node: 'a', height: 1, value: 'x' },
        { node: 'b', height: 1, value: 'z' },
      ]).length,
      1,
    );
  });
  it('validity flags decisions the predicate rejects', () => {
    const d = [{ node: 'a', height: 1, value: 'bad' }];
    assert.equal(checkValidity(d, (x) => x.value !== 'bad').length, 1);
    assert.equal(checkValidity(d, () => true).length, 0);
  });
  it('no-equivocation flags a node signing two values at one position', () => {
    const base = { node: 'a', height: 1, round: 0, type: 'prevote' };
    assert.equal(
      checkNoEquivocation([
        { ...base, value: 'x' },
        { ...base, value: 'x' },
      ]).length,
      0,
    );
    assert.equal(
      checkNoEquivocation([
        { ...base, value: 'x' },
        { ...base, value: null },
      ]).length,
      1,
    );
    assert.equal(
      checkNoEquivocation([
        { ...base, value: 'x' },
        { ...base, round: 1, value: null },
      ]).length,
      0,
    );
  });
  it('liveness requires every node to gain the given heights', () => {
    const heal = new Map([
      ['a', 3],
      ['b', 5],
    ]);
    assert.deepEqual(
      checkLiveness(
        heal,
        new Map([
          ['a', 6],
          ['b', 8],
        ]),
        3,
      ),
      [],
    );
    assert.equal(
      checkLiveness(
        heal,
        new Map([
          ['a', 6],
          ['b', 7],
        ]),
        3,
      ).length,
      1,
    );
  });
});
