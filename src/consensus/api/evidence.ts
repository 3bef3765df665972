/**
 * Evidence of misbehaviour carried in blocks. For now one kind: a validator signing two different votes
 * of the same type at the same height and round (equivocation). The pair is kept in one canonical order
 * (vote A's block hash sorts strictly before vote B's, nil as the empty string) and encoded as canonical
 * CBOR, so the same offence always has the same bytes and the same hash, and is punished once.
 */
import { bytesEqual, compareBytes } from '../../codec/bytes.ts';
import { decodeCanonical, encodeCanonical } from '../../codec/cbor.ts';
import { type Decoder, struct } from '../../codec/schema.ts';
import { sha512_256 } from '../../crypto/hash.ts';
import { CodecError } from '../../errors.ts';
import { type Vote, voteDecoder, voteToCbor } from './vote.ts';

/** Two conflicting votes by one validator, in canonical order. */
export interface DuplicateVoteEvidence {
  voteA: Vote;
  voteB: Vote;
}

/** Largest encoded evidence accepted from the network (two votes are about 350 bytes). */
export const MAX_EVIDENCE_BYTES = 4096;

const NIL_KEY = new Uint8Array(0);

/** The ordering key of a vote's block: its hash, or the empty string for nil. */
function blockKey(v: Vote): Uint8Array {
  return v.blockHash ?? NIL_KEY;
}

/** Orders two votes by block hash, nil (the empty string) first; zero means the same block. */
export function compareVoteBlocks(a: Vote, b: Vote): number {
  return compareBytes(blockKey(a), blockKey(b));
}

/** True when vote A's block hash sorts strictly before vote B's (the only accepted order). */
export function isCanonicalOrder(ev: DuplicateVoteEvidence): boolean {
  return compareVoteBlocks(ev.voteA, ev.voteB) < 0;
}

/** Evidence for two conflicting votes, put in canonical order (their validity is checked separately). */
export function duplicateVoteEvidence(a: Vote, b: Vote): DuplicateVoteEvidence {
  return compareVoteBlocks(a, b) <= 0 ? { voteA: a, voteB: b } : { voteA: b, voteB: a };
}

/** CBOR-ready form: `{vote_a, vote_b}`. */
export function evidenceToCbor(ev: DuplicateVoteEvidence): Record<string, unknown> {
  return { vote_a: voteToCbor(ev.voteA), vote_b: voteToCbor(ev.voteB) };
}

/** Canonical CBOR of the evidence (what blocks and gossip carry). */
export function encodeEvidence(ev: DuplicateVoteEvidence): Uint8Array {
  return encodeCanonical(evidenceToCbor(ev));
}

const evidenceStruct = struct({ vote_a: voteDecoder, vote_b: voteDecoder });

/** Strict decoder of evidence (votes decoded, nothing verified). */
export const evidenceDecoder: Decoder<DuplicateVoteEvidence> = (value, path) => {
  const d = evidenceStruct(value, path);
  return { voteA: d.vote_a, voteB: d.vote_b };
};

/**
 * Decodes evidence bytes. Throws `CodecError` for oversize, malformed, or not exactly the canonical
 * re-encoding (e.g. a nil vote without its `block_hash: null`), so one offence has one byte form.
 */
export function decodeEvidence(data: Uint8Array): DuplicateVoteEvidence {
  const ev = evidenceDecoder(decodeCanonical(data, MAX_EVIDENCE_BYTES), 'evidence');
  if (!bytesEqual(encodeEvidence(ev), data)) throw new CodecError('evidence', 'not the canonical encoding');
  return ev;
}

/** Hash identifying the evidence: SHA-512/256 of its canonical encoding. */
export function evidenceHash(ev: DuplicateVoteEvidence): Uint8Array {
  return sha512_256(encodeEvidence(ev));
}
