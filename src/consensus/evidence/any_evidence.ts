/**
 * The evidence kinds a block may carry — duplicate votes and light-client attacks — behind one set of
 * functions (decode, hash, height, verify, misbehaviour), so the pool and the engine handle both alike.
 * The two encodings tell themselves apart: a light-client attack has a `conflicting_block` field.
 */
import { decodeCanonical } from '../../codec/cbor.ts';
import type { Misbehavior } from '../api/application.ts';
import {
  type DuplicateVoteEvidence,
  decodeEvidence,
  evidenceHash,
  MAX_EVIDENCE_BYTES,
} from '../api/evidence.ts';
import {
  decodeLightAttack,
  isLightAttackValue,
  type LightClientAttackEvidence,
  lightAttackHash,
} from '../api/light_attack_evidence.ts';
import { MAX_LIGHT_BLOCK_BYTES } from '../api/light_block.ts';
import { evidenceError } from './errors.ts';
import { toMisbehavior } from './misbehavior.ts';
import { type EvidenceContext, verifyDuplicateVote } from './verify.ts';
import { type LightAttackContext, verifyLightClientAttack } from './verify_light_attack.ts';

/** Evidence of either kind. */
export type AnyEvidence =
  | { kind: 'duplicate-vote'; evidence: DuplicateVoteEvidence }
  | { kind: 'light-client-attack'; evidence: LightClientAttackEvidence };

/** Largest encoded evidence of any kind. */
export const MAX_ANY_EVIDENCE_BYTES = Math.max(MAX_EVIDENCE_BYTES, MAX_LIGHT_BLOCK_BYTES);

/** Decodes evidence bytes of either kind; malformed input gives the `malformed` evidence error. */
export function decodeAnyEvidence(data: Uint8Array): AnyEvidence {
  try {
    if (isLightAttackValue(decodeCanonical(data, MAX_ANY_EVIDENCE_BYTES))) {
      return { kind: 'light-client-attack', evidence: decodeLightAttack(data) };
    }
    return { kind: 'duplicate-vote', evidence: decodeEvidence(data) };
  } catch (err) {
    throw evidenceError('malformed', (err as Error).message);
  }
}

/** Hash identifying the evidence. */
export function anyEvidenceHash(e: AnyEvidence): Uint8Array {
  return e.kind === 'duplicate-vote' ? evidenceHash(e.evidence) : lightAttackHash(e.evidence);
}

/** The height the offence is dated at (expiry counts from it). */
export function anyEvidenceHeight(e: AnyEvidence): number {
  return e.kind === 'duplicate-vote' ? e.evidence.voteA.height : e.evidence.commonHeight;
}

/** What verifying both kinds needs; without `lightBlock` light-client attacks cannot be judged. */
export interface AnyEvidenceContext extends EvidenceContext {
  lightBlock?: LightAttackContext['lightBlock'];
}

/** Verifies evidence of either kind; throws the coded rule error; returns its hash. */
export function verifyAnyEvidence(e: AnyEvidence, ctx: AnyEvidenceContext): Uint8Array {
  if (e.kind === 'duplicate-vote') return verifyDuplicateVote(e.evidence, ctx);
  const { lightBlock } = ctx;
  if (lightBlock === undefined)
    throw evidenceError('unknownHeight', 'this node cannot judge light-client attacks');
  return verifyLightClientAttack(e.evidence, { ...ctx, lightBlock });
}

/**
 * The misbehaviour verified evidence proves: the one equivocating validator, or every validator a
 * light-client attack blames. `time` is the block time (unix seconds) at the evidence height and
 * `totalPower` the set's total there (a light-client attack carries its own).
 */
export function misbehaviorsOf(e: AnyEvidence, time: number, totalPower: bigint): Misbehavior[] {
  if (e.kind === 'duplicate-vote') return [toMisbehavior(e.evidence, time, totalPower)];
  const ev = e.evidence;
  return ev.byzantineValidators.map((publicKey) => ({
    kind: 'light-client-attack' as const,
    publicKey: new Uint8Array(publicKey),
    height: ev.commonHeight,
    time,
    totalVotingPower: ev.totalVotingPower,
  }));
}
