import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { duplicateVoteEvidence } from '../../../src/consensus/api/evidence.ts';
import { MessageType } from '../../../src/consensus/api/vote.ts';
import { toMisbehavior } from '../../../src/consensus/evidence/misbehavior.ts';
import { bob, hashA, vote } from './fixtures.ts';

describe('toMisbehavior', () => {
  it('names the offender, height, block time and total power', () => {
    const pc = { key: bob, height: 42, round: 3, type: MessageType.precommit } as const;
    const ev = duplicateVoteEvidence(vote(hashA, pc), vote(null, pc));
    const m = toMisbehavior(ev, 1_650_000_000, 123n);
    assert.deepEqual(m, {
      kind: 'duplicate-vote',
      publicKey: bob.publicKey,
      height: 42,
      time: 1_650_000_000,
      totalVotingPower: 123n,
    });
    m.publicKey[0] = 0;
    assert.notEqual(ev.voteA.validator[0], 0, 'the evidence keeps its own key bytes');
  });
});
