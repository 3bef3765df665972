/**
 * Verification of light-client-attack evidence (CometBFT `evidence/verify.go` VerifyLightClientAttack):
 * the conflicting block must differ from the chain's block at its height and yet verify as a light client
 * would have accepted it — from the common height with more than 1/3 of that set (a lunatic header), or
 * with more than 2/3 of the chain's own set at that height (equivocation, amnesia) — and the evidence must
 * blame exactly the validators the chain's blocks say signed it.
 */
import { bytesEqual, toHex } from '../../codec/bytes.ts';
import { CodedError } from '../../errors.ts';
import { blockHash } from '../api/block.ts';
import {
  blamedValidators,
  isLunaticHeader,
  type LightClientAttackEvidence,
  lightAttackHash,
} from '../api/light_attack_evidence.ts';
import type { LightBlock } from '../api/light_block.ts';
import {
  checkLightBlock,
  DEFAULT_TRUST_LEVEL,
  totalPower,
  trustedPowerSigned,
  verifyOwnCommit,
} from '../light/verifier.ts';
import { evidenceError } from './errors.ts';
import { isExpired } from './verify.ts';

/** What verifying a light-client attack needs to know about the chain. */
export interface LightAttackContext {
  chainContext: string;
  /** Height of the latest committed block. */
  currentHeight: number;
  /** Evidence older than this many blocks is expired. */
  maxAgeBlocks: number;
  /** True when evidence with this hash was committed in an earlier block. */
  alreadyCommitted(hash: Uint8Array): boolean;
  /** The chain's own light block at `height`, if kept. */
  lightBlock(height: number): LightBlock | undefined;
}

function proven(step: () => void, what: string): void {
  try {
    step();
  } catch (err) {
    if (err instanceof CodedError) throw evidenceError('conflictNotProven', `${what}: ${err.message}`);
    throw err;
  }
}

/**
 * Checks every rule of light-client-attack evidence; throws the coded error of the first broken one.
 * Returns the evidence hash.
 */
export function verifyLightClientAttack(ev: LightClientAttackEvidence, ctx: LightAttackContext): Uint8Array {
  const conflicting = ev.conflictingBlock;
  const height = conflicting.header.height;
  if (height > ctx.currentHeight) {
    throw evidenceError('futureHeight', `height ${height} is above the current height ${ctx.currentHeight}`);
  }
  if (ev.commonHeight > height) throw evidenceError('conflictNotProven', 'common height above the conflict');
  if (isExpired(ev.commonHeight, ctx.currentHeight, ctx.maxAgeBlocks)) {
    throw evidenceError('expired', `height ${ev.commonHeight} is older than ${ctx.maxAgeBlocks} blocks`);
  }
  const hash = lightAttackHash(ev);
  if (ctx.alreadyCommitted(hash)) throw evidenceError('alreadyCommitted', 'already committed');
  const common = ctx.lightBlock(ev.commonHeight);
  const trusted = ctx.lightBlock(height);
  if (common === undefined || trusted === undefined) {
    throw evidenceError('unknownHeight', `the chain does not hold heights ${ev.commonHeight} and ${height}`);
  }
  proven(() => checkLightBlock(conflicting, ctx.chainContext), 'conflicting block');
  if (bytesEqual(blockHash(conflicting.header), blockHash(trusted.header))) {
    throw evidenceError('sameBlock', `the block at ${height} is the chain's own`);
  }
  if (ev.commonHeight !== height) {
    // Lunatic: a light client trusting the common block would have skipped to it.
    let signed = 0n;
    proven(() => {
      signed = trustedPowerSigned(
        conflicting.commit,
        conflicting.validators,
        common.validators,
        ctx.chainContext,
      );
    }, 'conflicting commit');
    const needed =
      (totalPower(common.validators) * DEFAULT_TRUST_LEVEL.numerator) / DEFAULT_TRUST_LEVEL.denominator;
    if (signed <= needed) {
      throw evidenceError(
        'conflictNotProven',
        `${signed} of the common set signed, more than ${needed} needed`,
      );
    }
  } else if (!bytesEqual(conflicting.header.validatorsHash, trusted.header.validatorsHash)) {
    throw evidenceError('conflictNotProven', 'equivocation by another validator set than the chain’s');
  }
  proven(() => verifyOwnCommit(conflicting, ctx.chainContext), 'conflicting commit');
  const basis = isLunaticHeader(conflicting.header, trusted.header) ? common : trusted;
  const blamed = blamedValidators(common.validators, conflicting, trusted).map(toHex);
  if (basis.header.height !== ev.commonHeight) {
    throw evidenceError('wrongAttribution', `common height must be ${basis.header.height} for this conflict`);
  }
  if (blamed.join() !== ev.byzantineValidators.map(toHex).join()) {
    throw evidenceError('wrongAttribution', 'blamed validators are not the ones that signed');
  }
  if (ev.totalVotingPower !== totalPower(basis.validators) || ev.timestamp !== basis.header.time) {
    throw evidenceError('wrongAttribution', 'total voting power or timestamp differ from the chain');
  }
  return hash;
}
