/** One test per upon-rule of the paper's Algorithm 1: triggered, and not triggered when a condition fails. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConsensusEngine } from '../../../src/consensus/bft/engine/engine.ts';
import type { EngineOutput, ValueId } from '../../../src/consensus/bft/engine/types.ts';
import { VoteKeeper } from '../../../src/consensus/bft/engine/vote_keeper.ts';

const NODES = ['A', 'B', 'C', 'D'];
const TIMEOUTS = {
  proposeMs: 100,
  proposeDeltaMs: 10,
  prevoteMs: 50,
  prevoteDeltaMs: 5,
  precommitMs: 60,
  precommitDeltaMs: 6,
};

/** B's engine (proposer of round r is NODES[r % 4]). */
function engine(
  self = 'B',
  valid: (v: ValueId) => boolean = () => true,
  countingPolicy: 'perValue' | 'firstSeen' = 'perValue',
) {
  const e = new ConsensusEngine({
    height: 1,
    powers: new Map(NODES.map((n) => [n, 1n])),
    proposer: (r) => NODES[r % 4]!,
    self,
    timeouts: TIMEOUTS,
    countingPolicy,
  });
  const start = e.start();
  const propose = (round: number, value: ValueId, polRound = -1, sender = NODES[round % 4]!) =>
    e.apply({ kind: 'proposal', round, value, polRound, sender, valid: valid(value) });
  const prevote = (round: number, value: ValueId | null, ...senders: string[]) =>
    senders.flatMap((sender) => e.apply({ kind: 'vote', type: 'prevote', round, value, sender }));
  const precommit = (round: number, value: ValueId | null, ...senders: string[]) =>
    senders.flatMap((sender) => e.apply({ kind: 'vote', type: 'precommit', round, value, sender }));
  const timeout = (step: 'propose' | 'prevote' | 'precommit', round: number) =>
    e.apply({ kind: 'timeout', step, round });
  return { e, start, propose, prevote, precommit, timeout };
}

const votes = (outs: EngineOutput[]) =>
  outs
    .filter((o) => o.kind === 'vote')
    .map((o) => (o.kind === 'vote' ? `${o.type}:${o.round}:${o.value}` : ''));
const timeouts = (outs: EngineOutput[]) =>
  outs
    .filter((o) => o.kind === 'scheduleTimeout')
    .map((o) => (o.kind === 'scheduleTimeout' ? `${o.step}:${o.round}:${o.durationMs}` : ''));

/** Drives B into round 1 with a lock on `x` from round 0. */
function lockedOnX() {
  const t = engine();
  t.propose(0, 'x');
  t.prevote(0, 'x', 'A', 'C', 'D');
  t.timeout('precommit', 0);
  assert.equal(t.e.round, 1);
  return t;
}

describe('engine: StartRound (L11–21)', () => {
  it('non-proposer schedules timeoutPropose(0)', () => {
    const t = engine('B');
    assert.deepEqual(timeouts(t.start), ['propose:0:100']);
    assert.equal(t.e.step, 'propose');
  });
  it('proposer asks for a value and proposes it with vr = -1', () => {
    const t = engine('A');
    assert.deepEqual(t.start, [{ kind: 'requestValue', round: 0 }]);
    assert.deepEqual(t.e.apply({ kind: 'proposeValue', round: 0, value: 'x' }), [
      { kind: 'proposal', round: 0, value: 'x', polRound: -1 },
    ]);
    assert.deepEqual(t.e.apply({ kind: 'proposeValue', round: 0, value: 'y' }), [], 'answers once');
  });
  it('proposer re-proposes its valid value with its valid round', () => {
    const t = lockedOnX(); // B is proposer of round 1
    const outs = t.e.apply({ kind: 'proposeValue', round: 1, value: 'fresh' });
    assert.deepEqual(outs, [], 'no value was requested');
    assert.equal(t.e.validValue, 'x');
    assert.equal(t.e.validRound, 0);
  });
});

describe('engine: L22 fresh proposal', () => {
  it('prevotes a valid value when unlocked', () => {
    const t = engine();
    assert.deepEqual(votes(t.propose(0, 'x')), ['prevote:0:x']);
    assert.equal(t.e.step, 'prevote');
  });
  it('prevotes nil for an invalid value', () => {
    const t = engine('B', (v) => v !== 'bad');
    assert.deepEqual(votes(t.propose(0, 'bad')), ['prevote:0:null']);
  });
  it('prevotes nil for another value when locked', () => {
    const t = lockedOnX();
    t.timeout('precommit', 1); // round 2, proposer C
    assert.deepEqual(votes(t.propose(2, 'y')), ['prevote:2:null']);
    assert.deepEqual(votes(t.prevote(2, null, 'A', 'C', 'D')), ['precommit:2:null']);
    t.timeout('precommit', 2); // round 3, proposer D
    assert.deepEqual(votes(t.propose(3, 'x')), ['prevote:3:x'], 'the locked value is fine');
  });
  it('ignores proposals from a non-proposer and in a later step', () => {
    const t = engine();
    assert.deepEqual(t.propose(0, 'x', -1, 'C'), []);
    t.timeout('propose', 0);
    assert.deepEqual(votes(t.propose(0, 'x')), [], 'already in prevote');
  });
});

describe('engine: L28 re-proposal with an older polka', () => {
  it('waits for the polka at vr, counting equivocators once per proposed value', () => {
    for (const policy of ['perValue', 'firstSeen'] as const) {
      const t = engine('B', () => true, policy);
      t.propose(0, 'x');
      t.prevote(0, 'x', 'A', 'C', 'D'); // B locks x at 0
      t.timeout('precommit', 0);
      t.timeout('propose', 1);
      t.prevote(1, null, 'A', 'C', 'D'); // round 1: nil polka
      t.timeout('precommit', 1); // round 2, proposer C
      assert.deepEqual(votes(t.propose(2, 'y', 1)), [], `${policy}: no polka for y at round 1 yet`);
      assert.equal(t.e.step, 'propose');
      // A, C and D now (equivocating) prevote y in round 1, after their nil prevotes.
      const outs = t.prevote(1, 'y', 'A', 'C', 'D');
      if (policy === 'perValue') {
        assert.deepEqual(votes(outs), ['prevote:2:y'], 'y was proposed: the later votes count for it');
      } else {
        assert.deepEqual(votes(outs), [], 'first-seen keeps the nil votes only');
        assert.equal(t.e.step, 'propose');
      }
    }
  });
  it('never counts an equivocator toward a value nobody proposed', () => {
    const t = engine();
    t.prevote(0, null, 'A');
    t.prevote(0, 'junk', 'A');
    assert.equal(t.e.votes.powerFor('prevote', 0, 'junk'), 0n);
    assert.equal(t.e.votes.powerAny('prevote', 0), 1n);
  });
  it('moves a locked process to a newer value backed by a later polka', () => {
    const t = engine();
    t.propose(0, 'x');
    t.prevote(0, 'x', 'A', 'C', 'D'); // locked on x at 0
    t.timeout('precommit', 0); // round 1 (B proposes x again)
    t.timeout('propose', 1);
    // others form a polka for y in round 1 (B missed the round-1 proposal and prevoted nil)
    t.prevote(1, 'y', 'A', 'C', 'D');
    t.timeout('prevote', 1);
    t.timeout('precommit', 1); // round 2, proposer C re-proposes y with vr = 1
    assert.deepEqual(votes(t.propose(2, 'y', 1)), ['prevote:2:y']);
    assert.equal(t.e.lockedValue, 'x', 'lock moves only on a precommit');
  });
  it('prevotes nil when locked after vr on another value', () => {
    const t = engine('D');
    t.propose(0, 'y'); // D prevotes y
    t.timeout('prevote', 0); // D precommits nil
    t.prevote(0, 'y', 'A', 'B', 'C'); // polka y at 0: valid value only
    assert.deepEqual([t.e.lockedValue, t.e.validValue], [null, 'y']);
    t.timeout('precommit', 0); // round 1, B proposes x
    t.propose(1, 'x');
    t.prevote(1, 'x', 'A', 'B', 'C'); // D locks x at 1
    assert.deepEqual([t.e.lockedValue, t.e.lockedRound], ['x', 1]);
    t.timeout('precommit', 1); // round 2, C re-proposes y with vr 0 < lockedRound 1
    assert.deepEqual(votes(t.propose(2, 'y', 0)), ['prevote:2:null']);
  });
});

describe('engine: L34/L44/L36 prevote quorums', () => {
  it('L34 schedules timeoutPrevote once on 2f+1 mixed prevotes, not on 2f', () => {
    const t = engine();
    t.propose(0, 'x');
    assert.deepEqual(timeouts(t.prevote(0, 'x', 'A')), []);
    assert.deepEqual(timeouts(t.prevote(0, null, 'C')), []);
    assert.deepEqual(timeouts(t.prevote(0, 'z', 'D')), ['prevote:0:50']);
    assert.deepEqual(timeouts(t.prevote(0, 'x', 'B')), [], 'only the first time');
  });
  it('L44 precommits nil on 2f+1 nil prevotes', () => {
    const t = engine();
    t.propose(0, 'x');
    assert.deepEqual(votes(t.prevote(0, null, 'A', 'C')), []);
    assert.deepEqual(votes(t.prevote(0, null, 'D')), ['precommit:0:null']);
    assert.equal(t.e.step, 'precommit');
  });
  it('L36 locks and precommits v on proposal + 2f+1 prevotes', () => {
    const t = engine();
    t.propose(0, 'x');
    assert.deepEqual(votes(t.prevote(0, 'x', 'A', 'C', 'D')), ['precommit:0:x']);
    assert.deepEqual([t.e.lockedValue, t.e.lockedRound, t.e.validValue, t.e.validRound], ['x', 0, 'x', 0]);
  });
  it('L36 in precommit only updates the valid value', () => {
    const t = engine();
    t.propose(0, 'x');
    t.timeout('prevote', 0); // not in prevote: no-op (B is in prevote, so this precommits nil)
    assert.equal(t.e.step, 'precommit');
    assert.deepEqual(votes(t.prevote(0, 'x', 'A', 'C', 'D')), []);
    assert.deepEqual([t.e.lockedValue, t.e.validValue, t.e.validRound], [null, 'x', 0]);
  });
  it('L36 does not fire for an invalid value', () => {
    const t = engine('B', (v) => v !== 'bad');
    t.propose(0, 'bad');
    assert.deepEqual(votes(t.prevote(0, 'bad', 'A', 'C', 'D')), []);
    assert.equal(t.e.lockedValue, null);
  });
});

describe('engine: L47/L49 precommit quorums', () => {
  it('L47 schedules timeoutPrecommit once on 2f+1 mixed precommits', () => {
    const t = engine();
    assert.deepEqual(timeouts(t.precommit(0, 'x', 'A', 'C')), []);
    assert.deepEqual(timeouts(t.precommit(0, null, 'D')), ['precommit:0:60']);
    assert.deepEqual(timeouts(t.precommit(0, null, 'B')), []);
  });
  it('L49 decides on proposal + 2f+1 precommits, even from a past round', () => {
    const t = engine();
    t.propose(0, 'x');
    t.timeout('prevote', 0);
    t.timeout('precommit', 0); // now in round 1
    const outs = t.precommit(0, 'x', 'A', 'C', 'D');
    assert.deepEqual(
      outs.filter((o) => o.kind === 'decide'),
      [{ kind: 'decide', round: 0, value: 'x' }],
    );
    assert.deepEqual(t.e.decision, { round: 0, value: 'x' });
    assert.deepEqual(t.timeout('precommit', 1), [], 'decided: inputs change nothing');
  });
  it('L49 needs the proposal and valid(v)', () => {
    const t = engine('B', (v) => v !== 'bad');
    t.precommit(0, 'x', 'A', 'C', 'D');
    assert.equal(t.e.decision, null, 'no proposal yet');
    t.propose(0, 'x');
    assert.deepEqual(t.e.decision, { round: 0, value: 'x' }, 'decides when the proposal arrives');
    const u = engine('B', (v) => v !== 'bad');
    u.propose(0, 'bad');
    u.precommit(0, 'bad', 'A', 'C', 'D');
    assert.equal(u.e.decision, null);
  });
});

describe('engine: L55 round skip and timeouts (L57–67)', () => {
  it('skips to a higher round on f+1 senders, not on f', () => {
    const t = engine();
    t.prevote(3, null, 'A');
    assert.equal(t.e.round, 0);
    const outs = t.precommit(3, 'q', 'C');
    assert.equal(t.e.round, 3);
    assert.deepEqual(timeouts(outs), ['propose:3:130']);
  });
  it('counts a proposal sender toward f+1, and re-checks buffered messages after the skip', () => {
    const t = engine();
    t.propose(2, 'x'); // from C, proposer of round 2: buffered
    assert.equal(t.e.round, 0);
    const outs = t.prevote(2, 'x', 'A'); // A + C = f+1 senders of round 2
    assert.equal(t.e.round, 2);
    // In the same step: StartRound(2) schedules timeoutPropose, then L22 fires on the buffered proposal.
    assert.deepEqual(timeouts(outs), ['propose:2:120']);
    assert.deepEqual(votes(outs), ['prevote:2:x']);
    // A and D are two prevotes for x (B's own is not delivered back here): C's makes the polka.
    assert.deepEqual(votes(t.prevote(2, 'x', 'D')), []);
    assert.deepEqual(votes(t.prevote(2, 'x', 'C')), ['precommit:2:x']);
  });
  it('timeouts act only at their own round and step', () => {
    const t = engine('C');
    assert.deepEqual(t.timeout('prevote', 0), [], 'still in propose');
    assert.deepEqual(votes(t.timeout('propose', 0)), ['prevote:0:null']);
    assert.deepEqual(t.timeout('propose', 0), [], 'already in prevote');
    assert.deepEqual(votes(t.timeout('prevote', 0)), ['precommit:0:null']);
    assert.deepEqual(t.timeout('precommit', 5), [], 'stale round');
    assert.deepEqual(timeouts(t.timeout('precommit', 0)), ['propose:1:110']);
    assert.equal(t.e.round, 1);
  });
});

describe('engine: vote accounting', () => {
  it('counts the first vote per sender and reports equivocation', () => {
    const t = engine();
    t.propose(0, 'x');
    const outs = [...t.prevote(0, 'x', 'A'), ...t.prevote(0, 'y', 'A'), ...t.prevote(0, 'x', 'A')];
    assert.deepEqual(outs, [
      { kind: 'equivocation', type: 'prevote', round: 0, sender: 'A', first: 'x', second: 'y' },
    ]);
    assert.equal(t.e.votes.powerFor('prevote', 0, 'x'), 1n);
    assert.equal(t.e.votes.powerFor('prevote', 0, 'y'), 0n);
  });
  it('ignores unknown senders', () => {
    const t = engine();
    assert.deepEqual(t.prevote(0, 'x', 'Z'), []);
    assert.equal(t.e.votes.powerAny('prevote', 0), 0n);
  });
  it('buffers at most two future rounds per sender', () => {
    const t = engine();
    t.prevote(5, null, 'A');
    t.prevote(6, null, 'A');
    t.prevote(7, null, 'A');
    assert.equal(t.e.votes.powerAny('prevote', 5), 1n);
    assert.equal(t.e.votes.powerAny('prevote', 6), 1n);
    assert.equal(t.e.votes.powerAny('prevote', 7), 0n, 'third future round dropped');
    t.prevote(20_000, null, 'C');
    assert.equal(t.e.votes.powerAny('prevote', 20_000), 0n, 'too far ahead');
    assert.equal(t.e.admits(20_000, 'C'), false);
    assert.equal(t.e.admits(8, 'C'), true);
  });
  it('reports a second, different proposal of a round', () => {
    const t = engine();
    t.propose(0, 'x');
    assert.deepEqual(t.propose(0, 'y'), [
      { kind: 'conflictingProposal', round: 0, sender: 'A', first: 'x', second: 'y' },
    ]);
  });
  it('uses integer thresholds 3w > 2n and 3w > n', () => {
    const k = new VoteKeeper(
      new Map([
        ['a', 1n],
        ['b', 1n],
        ['c', 1n],
      ]),
    );
    assert.equal(k.isQuorum(2n), false);
    assert.equal(k.isQuorum(3n), true);
    assert.equal(k.isSkip(1n), false);
    assert.equal(k.isSkip(2n), true);
    const w = new VoteKeeper(
      new Map([
        ['a', 2n],
        ['b', 1n],
        ['c', 1n],
        ['d', 2n],
      ]),
    ); // n = 6
    assert.equal(w.isQuorum(4n), false, '12 > 12 is false');
    assert.equal(w.isQuorum(5n), true);
    assert.equal(w.isSkip(2n), false, '6 > 6 is false');
    assert.equal(w.isSkip(3n), true);
  });
});
