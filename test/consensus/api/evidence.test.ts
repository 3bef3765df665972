import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeCanonical, encodeCanonical } from '../../../src/codec/cbor.ts';
import {
  decodeEvidence,
  duplicateVoteEvidence,
  encodeEvidence,
  evidenceHash,
  evidenceToCbor,
  isCanonicalOrder,
  MAX_EVIDENCE_BYTES,
} from '../../../src/consensus/api/evidence.ts';
import { voteToCbor } from '../../../src/consensus/api/vote.ts';
import { sha512_256 } from '../../../src/crypto/hash.ts';
import { CodecError } from '../../../src/errors.ts';
import { hashA, hashB, vote } from '../evidence/fixtures.ts';

describe('duplicate-vote evidence format', () => {
  it('puts the votes in canonical order whichever way they come, nil first', () => {
    const a = vote(hashA);
    const b = vote(hashB);
    const nil = vote(null);
    assert.deepEqual(duplicateVoteEvidence(b, a), { voteA: a, voteB: b });
    assert.deepEqual(duplicateVoteEvidence(a, b), { voteA: a, voteB: b });
    assert.deepEqual(duplicateVoteEvidence(a, nil), { voteA: nil, voteB: a });
    assert.ok(isCanonicalOrder(duplicateVoteEvidence(b, a)));
    assert.equal(isCanonicalOrder({ voteA: b, voteB: a }), false);
    assert.equal(isCanonicalOrder({ voteA: a, voteB: a }), false);
  });

  it('encodes {vote_a, vote_b} as canonical CBOR and round-trips', () => {
    const ev = duplicateVoteEvidence(vote(hashB), vote(null));
    const bytes = encodeEvidence(ev);
    assert.deepEqual(bytes, encodeCanonical({ vote_a: voteToCbor(ev.voteA), vote_b: voteToCbor(ev.voteB) }));
    const raw = decodeCanonical(bytes) as Record<string, Record<string, unknown>>;
    assert.equal(raw.vote_a!.block_hash, null);
    assert.deepEqual(raw.vote_b!.block_hash, hashB);
    assert.deepEqual(decodeEvidence(bytes), ev);
  });

  it('hashes the canonical encoding, the same for either argument order', () => {
    const a = vote(hashA);
    const b = vote(hashB);
    assert.deepEqual(
      evidenceHash(duplicateVoteEvidence(a, b)),
      sha512_256(encodeEvidence(duplicateVoteEvidence(b, a))),
    );
  });

  it('rejects a nil vote that omits block_hash (a second byte form of the same evidence)', () => {
    const ev = duplicateVoteEvidence(vote(null), vote(hashA));
    const cbor = evidenceToCbor(ev) as { vote_a: Record<string, unknown> };
    delete cbor.vote_a.block_hash;
    assert.throws(
      () => decodeEvidence(encodeCanonical(cbor)),
      (e) => e instanceof CodecError && /canonical/.test(e.message),
    );
  });

  it('rejects unknown fields, missing votes and oversize input', () => {
    const ev = duplicateVoteEvidence(vote(hashA), vote(hashB));
    assert.throws(() => decodeEvidence(encodeCanonical({ ...evidenceToCbor(ev), extra: 1 })), CodecError);
    assert.throws(() => decodeEvidence(encodeCanonical({ vote_a: voteToCbor(ev.voteA) })), CodecError);
    assert.throws(() => decodeEvidence(new Uint8Array(MAX_EVIDENCE_BYTES + 1)), CodecError);
  });
});
