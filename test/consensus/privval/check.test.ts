import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DoubleSignError, SignStep } from '../../../src/consensus/api/durability.ts';
import { MessageType } from '../../../src/consensus/api/vote.ts';
import { checkSignPosition, comparePositions, signStepOf } from '../../../src/consensus/privval/check.ts';
import type { SignState } from '../../../src/consensus/privval/sign_state.ts';

const last: SignState = {
  height: 10,
  round: 2,
  step: SignStep.prevote,
  signBytes: new Uint8Array([1, 2, 3]),
  signature: new Uint8Array(64).fill(9),
};
const same = new Uint8Array([1, 2, 3]);
const other = new Uint8Array([1, 2, 4]);
const P = SignStep;

describe('checkSignPosition', () => {
  it('signs anything fresh before the first signature', () => {
    assert.deepEqual(checkSignPosition(undefined, { height: 1, round: 0, step: P.propose }, other), {
      kind: 'fresh',
    });
  });

  const higher: Array<[string, number, number, SignStep]> = [
    ['a higher height with a lower round and step', 11, 0, P.propose],
    ['the same height, a higher round, a lower step', 10, 3, P.propose],
    ['the same height and round, a higher step', 10, 2, P.precommit],
  ];
  for (const [name, height, round, step] of higher) {
    it(`signs fresh at ${name}`, () => {
      assert.deepEqual(checkSignPosition(last, { height, round, step }, other), { kind: 'fresh' });
    });
  }

  const lower: Array<[string, number, number, SignStep]> = [
    ['a lower height with a higher round and step', 9, 5, P.precommit],
    ['the same height, a lower round, a higher step', 10, 1, P.precommit],
    ['the same height and round, a lower step', 10, 2, P.propose],
  ];
  for (const [name, height, round, step] of lower) {
    it(`refuses ${name}, even with the same bytes`, () => {
      assert.throws(() => checkSignPosition(last, { height, round, step }, same), DoubleSignError);
    });
  }

  it('returns the earlier signature for identical bytes at the same position', () => {
    const decision = checkSignPosition(last, { height: 10, round: 2, step: P.prevote }, same);
    assert.deepEqual(decision, { kind: 'repeat', signature: new Uint8Array(64).fill(9) });
  });

  it('refuses different bytes at the same position', () => {
    assert.throws(
      () => checkSignPosition(last, { height: 10, round: 2, step: P.prevote }, other),
      /conflicting data at \(height 10, round 2, step 2\)/,
    );
  });

  it('rejects malformed positions', () => {
    assert.throws(
      () => checkSignPosition(undefined, { height: 0, round: 0, step: P.propose }, same),
      RangeError,
    );
    assert.throws(
      () => checkSignPosition(undefined, { height: 1, round: -1, step: P.propose }, same),
      RangeError,
    );
    assert.throws(
      () => checkSignPosition(undefined, { height: 1.5, round: 0, step: P.propose }, same),
      RangeError,
    );
    assert.throws(
      () => checkSignPosition(undefined, { height: 1, round: 0, step: 4 as SignStep }, same),
      RangeError,
    );
  });

  it('orders positions lexicographically and maps message types to steps', () => {
    assert.ok(
      comparePositions({ height: 2, round: 0, step: P.propose }, { height: 1, round: 9, step: P.precommit }) >
        0,
    );
    assert.equal(comparePositions(last, { ...last }), 0);
    assert.equal(signStepOf(MessageType.proposal), P.propose);
    assert.equal(signStepOf(MessageType.prevote), P.prevote);
    assert.equal(signStepOf(MessageType.precommit), P.precommit);
  });
});
