import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  decodeEvidence,
  duplicateVoteEvidence,
  encodeEvidence,
  evidenceHash,
} from '../../../src/consensus/api/evidence.ts';
import { EVIDENCE_MODULE, EvidenceErrorCode } from '../../../src/consensus/evidence/errors.ts';
import { EvidencePool, type EvidencePoolOptions } from '../../../src/consensus/evidence/pool.ts';
import { CodedError } from '../../../src/errors.ts';
import { alice, bob, context, hashA, hashB, vote } from './fixtures.ts';

const C = EvidenceErrorCode;
const rejects = (code: number) => (e: unknown) => CodedError.is(e, EVIDENCE_MODULE, code);

function pool(over: Partial<EvidencePoolOptions> = {}): EvidencePool {
  const { alreadyCommitted: _unused, ...ctx } = context();
  return new EvidencePool({ ...ctx, ...over });
}
const evAt = (height: number, key = alice) =>
  duplicateVoteEvidence(vote(hashA, { height, key }), vote(hashB, { height, key }));

describe('EvidencePool', () => {
  it('adds gossiped evidence once and offers it to the proposer', () => {
    const p = pool();
    const bytes = encodeEvidence(evAt(10));
    assert.deepEqual(p.addEvidence(bytes), { hash: evidenceHash(evAt(10)), added: true });
    assert.deepEqual(p.addEvidence(bytes), { hash: evidenceHash(evAt(10)), added: false });
    assert.equal(p.pendingCount, 1);
    assert.deepEqual(p.pending(10_000), [bytes]);
  });

  it('rejects malformed and invalid gossip without keeping it', () => {
    const p = pool();
    assert.throws(() => p.addEvidence(new Uint8Array([0xa0])), rejects(C.malformed));
    const wrongOrder = { voteA: vote(hashB), voteB: vote(hashA) };
    assert.throws(() => p.addEvidence(encodeEvidence(wrongOrder)), rejects(C.notCanonical));
    assert.throws(() => p.addEvidence(encodeEvidence(evAt(25))), rejects(C.futureHeight));
    assert.equal(p.pendingCount, 0);
  });

  it('turns the engine conflicting votes into evidence, in canonical order', () => {
    const p = pool();
    const result = p.addConflictingVotes(vote(hashB, { height: 12 }), vote(hashA, { height: 12 }));
    assert.deepEqual(result, { hash: evidenceHash(evAt(12)), added: true, waiting: false });
    assert.deepEqual(decodeEvidence(p.pending(10_000)[0]!), evAt(12));
  });

  it('holds conflicting votes of an uncommitted height until that height is committed', () => {
    const p = pool();
    const result = p.addConflictingVotes(vote(hashA, { height: 21 }), vote(hashB, { height: 21 }));
    assert.equal(result.waiting, true);
    assert.equal(p.pendingCount, 0);
    p.markCommitted([], 21);
    assert.deepEqual(p.pending(10_000), [encodeEvidence(evAt(21))]);
  });

  it('orders pending evidence by height and respects the byte budget', () => {
    const p = pool();
    const late = encodeEvidence(evAt(15));
    const early = encodeEvidence(evAt(11, bob));
    p.addEvidence(late);
    p.addEvidence(early);
    assert.deepEqual(p.pending(10_000), [early, late]);
    assert.deepEqual(p.pending(early.length), [early]);
    assert.deepEqual(p.pending(early.length - 1), []);
  });

  it('drops committed evidence and refuses it afterwards', () => {
    const p = pool();
    const { hash } = p.addEvidence(encodeEvidence(evAt(10)));
    p.markCommitted([hash], 21);
    assert.equal(p.pendingCount, 0);
    assert.throws(() => p.addEvidence(encodeEvidence(evAt(10))), rejects(C.alreadyCommitted));
  });

  it('asks the block store about evidence committed before a restart', () => {
    const committed = evidenceHash(evAt(10));
    const p = pool({ committedBefore: (h) => Buffer.compare(h, committed) === 0 });
    assert.throws(() => p.addEvidence(encodeEvidence(evAt(10))), rejects(C.alreadyCommitted));
    assert.equal(p.addEvidence(encodeEvidence(evAt(11))).added, true);
  });

  it('prunes pending evidence once it expires', () => {
    const p = pool({ maxAgeBlocks: 5 });
    p.addEvidence(encodeEvidence(evAt(16)));
    p.addEvidence(encodeEvidence(evAt(18)));
    p.markCommitted([], 21);
    assert.equal(p.pendingCount, 2);
    p.markCommitted([], 22);
    assert.deepEqual(p.pending(10_000), [encodeEvidence(evAt(18))]);
  });

  it('verifies a block evidence list and refuses the same evidence twice', () => {
    const p = pool();
    const one = encodeEvidence(evAt(10));
    const two = encodeEvidence(evAt(12, bob));
    assert.deepEqual(p.verifyBlockEvidence([one, two]), [
      { kind: 'duplicate-vote', evidence: evAt(10) },
      { kind: 'duplicate-vote', evidence: evAt(12, bob) },
    ]);
    assert.throws(() => p.verifyBlockEvidence([one, two, one]), rejects(C.duplicateInBlock));
    assert.throws(() => p.verifyBlockEvidence([encodeEvidence(evAt(30))]), rejects(C.futureHeight));
  });

  it('gives the application the misbehaviour with the set total power at that height', () => {
    const p = pool({ totalPower: (h) => BigInt(h) * 1000n });
    assert.deepEqual(p.misbehaviorOf(evAt(10, bob), 1_700_000_000), {
      kind: 'duplicate-vote',
      publicKey: bob.publicKey,
      height: 10,
      time: 1_700_000_000,
      totalVotingPower: 10_000n,
    });
  });
});
