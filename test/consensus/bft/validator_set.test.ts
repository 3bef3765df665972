import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { utf8 } from '../../../src/codec/bytes.ts';
import {
  addClip,
  floorDiv,
  INT64_MAX,
  INT64_MIN,
  incrementPriorities,
  subClip,
} from '../../../src/consensus/bft/proposer_priority.ts';
import { ValidatorSet } from '../../../src/consensus/bft/validator_set.ts';
import { CodedError } from '../../../src/errors.ts';

/** A 32-byte "key" whose bytes start with an ASCII name: byte order equals the names' order. */
function named(name: string): Uint8Array {
  const k = new Uint8Array(32);
  k.set(utf8(name));
  return k;
}
const nameOf = (key: Uint8Array) => Buffer.from(key).toString('utf8').replace(/\0+$/, '');

describe('proposer selection (CometBFT-exact)', () => {
  it('reproduces TestProposerSelection1', () => {
    const expected = (
      'foo baz foo bar foo foo baz foo bar foo foo baz foo foo bar foo baz foo foo bar ' +
      'foo foo baz foo bar foo foo baz foo bar foo foo baz foo foo bar foo baz foo foo bar ' +
      'foo baz foo foo bar foo baz foo foo bar foo baz foo foo foo baz bar foo foo foo baz ' +
      'foo bar foo foo baz foo bar foo foo baz foo bar foo foo baz foo bar foo foo baz foo ' +
      'foo bar foo baz foo foo bar foo baz foo foo bar foo baz foo foo'
    ).split(' ');
    assert.equal(expected.length, 99);
    let set = ValidatorSet.genesis([
      { publicKey: named('foo'), power: 1000n },
      { publicKey: named('bar'), power: 300n },
      { publicKey: named('baz'), power: 330n },
    ]);
    const got: string[] = [];
    for (let i = 0; i < 99; i++) {
      got.push(nameOf(set.proposer.publicKey));
      set = set.advanced(1);
    }
    assert.deepEqual(got, expected);
  });

  it('goes round-robin in address order for equal powers (TestProposerSelection2)', () => {
    let set = ValidatorSet.genesis(['c', 'a', 'b'].map((n) => ({ publicKey: named(n), power: 1n })));
    const got: string[] = [];
    for (let i = 0; i < 6; i++) {
      got.push(nameOf(set.proposer.publicKey));
      set = set.advanced(1);
    }
    assert.deepEqual(got, ['a', 'b', 'c', 'a', 'b', 'c']);
  });

  it('orders the set by power descending, then address', () => {
    const set = ValidatorSet.genesis([
      { publicKey: named('b'), power: 5n },
      { publicKey: named('c'), power: 9n },
      { publicKey: named('a'), power: 5n },
    ]);
    assert.deepEqual(
      set.validators.map((v) => nameOf(v.publicKey)),
      ['c', 'a', 'b'],
    );
    assert.equal(set.totalPower, 19n);
    assert.equal(set.indexOf(Buffer.from(named('b')).toString('hex')), 2);
  });

  it('gives a big validator proposals in proportion to power', () => {
    let set = ValidatorSet.genesis([
      { publicKey: named('a'), power: 1n },
      { publicKey: named('b'), power: 1n },
      { publicKey: named('c'), power: 8n },
    ]);
    const counts = new Map<string, number>();
    for (let i = 0; i < 100; i++) {
      const n = nameOf(set.proposer.publicKey);
      counts.set(n, (counts.get(n) ?? 0) + 1);
      set = set.advanced(1);
    }
    assert.deepEqual(Object.fromEntries(counts), { a: 10, b: 10, c: 80 });
  });

  it('starts a new validator at -(P + P>>3) before rescaling, and keeps old priorities', () => {
    const set = ValidatorSet.genesis([
      { publicKey: named('a'), power: 10n },
      { publicKey: named('b'), power: 10n },
    ]);
    const updated = set.withUpdates([{ publicKey: named('c'), power: 10n }]);
    // P' = 30: c starts at -33; a, b are at ±10 after genesis. Window 60 > diff 43, so no rescale;
    // centre on floor((10 - 10 - 33) / 3) = -11.
    const prio = Object.fromEntries(updated.validators.map((v) => [nameOf(v.publicKey), v.priority]));
    const before = Object.fromEntries(set.validators.map((v) => [nameOf(v.publicKey), v.priority]));
    assert.deepEqual(before, { a: -10n, b: 10n });
    assert.deepEqual(prio, { a: 1n, b: 21n, c: -22n });
    assert.notDeepEqual(updated.hash(), set.hash());
  });

  it('removes with power 0 and rejects bad change sets', () => {
    const set = ValidatorSet.genesis([
      { publicKey: named('a'), power: 10n },
      { publicKey: named('b'), power: 10n },
    ]);
    assert.equal(set.withUpdates([{ publicKey: named('a'), power: 0n }]).validators.length, 1);
    assert.throws(() => set.withUpdates([{ publicKey: named('z'), power: 0n }]), CodedError);
    assert.throws(
      () =>
        set.withUpdates([
          { publicKey: named('c'), power: 1n },
          { publicKey: named('c'), power: 2n },
        ]),
      CodedError,
    );
    assert.throws(
      () =>
        set.withUpdates([
          { publicKey: named('a'), power: 0n },
          { publicKey: named('b'), power: 0n },
        ]),
      CodedError,
    );
  });

  it('derives the round-r proposer by advancing the round-0 set r steps at once', () => {
    const set = ValidatorSet.genesis(['a', 'b', 'c', 'd'].map((n) => ({ publicKey: named(n), power: 1n })));
    assert.deepEqual(
      [0, 1, 2, 3, 4].map((r) => nameOf(set.proposerForRound(r).publicKey)),
      ['a', 'b', 'c', 'd', 'a'],
    );
  });

  it('floors the average (Euclidean division) and clips at int64 bounds', () => {
    assert.equal(floorDiv(-7n, 2n), -4n);
    assert.equal(floorDiv(7n, 2n), 3n);
    assert.equal(floorDiv(-6n, 3n), -2n);
    assert.equal(addClip(INT64_MAX, 1n), INT64_MAX);
    assert.equal(subClip(INT64_MIN, 1n), INT64_MIN);
    const slots = [
      { address: named('a'), power: 1n, priority: -3n },
      { address: named('b'), power: 1n, priority: 0n },
    ];
    // avg = floor(-3/2) = -2 → a: -1, b: 2; step: a 0, b 3 → b leads, pays 2 → 1.
    const p = incrementPriorities(slots, 2n, 1);
    assert.equal(nameOf(p.address), 'b');
    assert.deepEqual(
      slots.map((s) => s.priority),
      [0n, 1n],
    );
  });
});

describe('round lookahead', () => {
  it('equals one IncrementProposerPriority(r) call for every round, with unequal powers', () => {
    const set = ValidatorSet.genesis([
      { publicKey: named('a'), power: 7n },
      { publicKey: named('b'), power: 3n },
      { publicKey: named('c'), power: 1000n },
      { publicKey: named('d'), power: 1n },
    ]).withUpdates([{ publicKey: named('e'), power: 50n }]);
    for (let r = 1; r <= 60; r++) {
      assert.deepEqual(set.proposerForRound(r).publicKey, set.advanced(r).proposer.publicKey, `round ${r}`);
    }
  });
});
