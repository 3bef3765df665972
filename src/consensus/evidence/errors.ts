/**
 * Coded errors of evidence verification (module `consensus/evidence`), one per rule, so a peer or a block
 * proposer sending bad evidence learns exactly which rule it broke.
 *
 * | code | rule broken |
 * |------|-------------|
 * | 1 | malformed: undecodable, oversize or non-canonical bytes |
 * | 2 | the votes are of different validators |
 * | 3 | the votes are at different heights |
 * | 4 | the votes are at different rounds |
 * | 5 | the votes are of different types |
 * | 6 | the votes are for the same block (no conflict) |
 * | 7 | not in canonical order (vote A's block hash must sort before vote B's) |
 * | 8 | a vote's signature does not verify |
 * | 9 | the validator was not in the validator set at that height |
 * | 10 | expired (older than the maximum evidence age) |
 * | 11 | already committed in an earlier block |
 * | 12 | from a height the chain has not reached |
 * | 13 | the same evidence twice in one block |
 * | 14 | light-client attack: the chain does not hold the common or the conflicting height |
 * | 15 | light-client attack: the conflicting block does not verify (not self-consistent, too little trusted power, bad commit) |
 * | 16 | light-client attack: the blamed validators, total power or timestamp are not what the chain says |
 */
import { CodedError } from '../../errors.ts';

/** Error module of evidence. */
export const EVIDENCE_MODULE = 'consensus/evidence';

/** Codes of the evidence errors. */
export const EvidenceErrorCode = Object.freeze({
  malformed: 1,
  differentValidators: 2,
  differentHeights: 3,
  differentRounds: 4,
  differentTypes: 5,
  sameBlock: 6,
  notCanonical: 7,
  invalidSignature: 8,
  unknownValidator: 9,
  expired: 10,
  alreadyCommitted: 11,
  futureHeight: 12,
  duplicateInBlock: 13,
  unknownHeight: 14,
  conflictNotProven: 15,
  wrongAttribution: 16,
} as const);

/** A coded evidence error for `rule`. */
export function evidenceError(rule: keyof typeof EvidenceErrorCode, message: string): CodedError {
  return new CodedError(EVIDENCE_MODULE, EvidenceErrorCode[rule], `invalid evidence: ${message}`);
}
