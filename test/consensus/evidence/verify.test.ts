import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bytesEqual } from '../../../src/codec/bytes.ts';
import { duplicateVoteEvidence, evidenceHash } from '../../../src/consensus/api/evidence.ts';
import { MessageType, signVote } from '../../../src/consensus/api/vote.ts';
import { EVIDENCE_MODULE, EvidenceErrorCode } from '../../../src/consensus/evidence/errors.ts';
import { verifyDuplicateVote } from '../../../src/consensus/evidence/verify.ts';
import { CodedError } from '../../../src/errors.ts';
import { alice, bob, context, hashA, hashB, outsider, vote } from './fixtures.ts';

const rejects = (code: number) => (e: unknown) => CodedError.is(e, EVIDENCE_MODULE, code);
const C = EvidenceErrorCode;

describe('verifyDuplicateVote', () => {
  it('accepts two signed votes for different blocks and returns the evidence hash', () => {
    const ev = duplicateVoteEvidence(vote(hashB), vote(hashA));
    assert.ok(bytesEqual(verifyDuplicateVote(ev, context()), evidenceHash(ev)));
  });

  it('accepts a block vote against a nil vote, of either type', () => {
    assert.doesNotThrow(() => verifyDuplicateVote(duplicateVoteEvidence(vote(hashA), vote(null)), context()));
    const pc = { type: MessageType.precommit } as const;
    assert.doesNotThrow(() =>
      verifyDuplicateVote(duplicateVoteEvidence(vote(null, pc), vote(hashB, pc)), context()),
    );
  });

  it('accepts evidence exactly at the age limit and at the current height', () => {
    const atLimit = { height: 10 };
    assert.doesNotThrow(() =>
      verifyDuplicateVote(
        duplicateVoteEvidence(vote(hashA, atLimit), vote(hashB, atLimit)),
        context({ currentHeight: 110, maxAgeBlocks: 100 }),
      ),
    );
    assert.doesNotThrow(() =>
      verifyDuplicateVote(duplicateVoteEvidence(vote(hashA), vote(hashB)), context({ currentHeight: 10 })),
    );
  });

  const cases: Array<[string, () => ReturnType<typeof duplicateVoteEvidence>, number, object?]> = [
    [
      'votes by different validators',
      () => duplicateVoteEvidence(vote(hashA), vote(hashB, { key: bob })),
      C.differentValidators,
    ],
    [
      'votes at different heights',
      () => duplicateVoteEvidence(vote(hashA), vote(hashB, { height: 11 })),
      C.differentHeights,
    ],
    [
      'votes at different rounds',
      () => duplicateVoteEvidence(vote(hashA), vote(hashB, { round: 1 })),
      C.differentRounds,
    ],
    [
      'votes of different types',
      () => duplicateVoteEvidence(vote(hashA), vote(hashB, { type: MessageType.precommit })),
      C.differentTypes,
    ],
    [
      'two votes for the same block',
      () => duplicateVoteEvidence(vote(hashA), vote(hashA, { timestamp: 5 })),
      C.sameBlock,
    ],
    ['two nil votes', () => duplicateVoteEvidence(vote(null), vote(null, { timestamp: 5 })), C.sameBlock],
    ['votes in non-canonical order', () => ({ voteA: vote(hashB), voteB: vote(hashA) }), C.notCanonical],
    ['a nil vote second', () => ({ voteA: vote(hashA), voteB: vote(null) }), C.notCanonical],
    [
      'a forged signature on vote A',
      () => {
        const a = vote(hashA);
        return duplicateVoteEvidence({ ...a, signature: vote(hashA, { round: 3 }).signature }, vote(hashB));
      },
      C.invalidSignature,
    ],
    [
      'vote B altered after signing',
      () => duplicateVoteEvidence(vote(hashA), { ...vote(hashB), timestamp: 1 }),
      C.invalidSignature,
    ],
    [
      'vote B signed for another chain',
      () => {
        const b = signVote(
          alice,
          { type: MessageType.prevote, height: 10, round: 0, blockHash: hashB, timestamp: 1 },
          'other',
        );
        return duplicateVoteEvidence(vote(hashA), b);
      },
      C.invalidSignature,
    ],
    [
      'a validator not in the set',
      () => duplicateVoteEvidence(vote(hashA, { key: outsider }), vote(hashB, { key: outsider })),
      C.unknownValidator,
    ],
    [
      'a height above the current one',
      () => duplicateVoteEvidence(vote(hashA, { height: 21 }), vote(hashB, { height: 21 })),
      C.futureHeight,
    ],
    [
      'evidence older than the age limit',
      () => duplicateVoteEvidence(vote(hashA, { height: 9 }), vote(hashB, { height: 9 })),
      C.expired,
      { currentHeight: 110, maxAgeBlocks: 100 },
    ],
    [
      'evidence already committed',
      () => duplicateVoteEvidence(vote(hashA), vote(hashB)),
      C.alreadyCommitted,
      { alreadyCommitted: () => true },
    ],
    [
      'a validator with zero power',
      () => duplicateVoteEvidence(vote(hashA), vote(hashB)),
      C.unknownValidator,
      { validatorPower: () => 0n },
    ],
  ];
  for (const [name, make, code, over] of cases) {
    it(`rejects ${name} with code ${code}`, () => {
      assert.throws(() => verifyDuplicateVote(make(), context(over)), rejects(code));
    });
  }

  it('only calls the committed lookup with the evidence hash', () => {
    const ev = duplicateVoteEvidence(vote(hashA), vote(hashB));
    const asked: Uint8Array[] = [];
    const alreadyCommitted = (h: Uint8Array) => {
      asked.push(h);
      return false;
    };
    verifyDuplicateVote(ev, context({ alreadyCommitted }));
    assert.deepEqual(asked, [evidenceHash(ev)]);
  });
});
