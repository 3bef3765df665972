/**
 * The witness cross-check (CometBFT `light/detector.go`): after the client verified a block, a witness is
 * asked for the same height. A different header is only an attack if it verifies too — from the last
 * height where the witness still agreed with what the client trusted; otherwise the witness is merely
 * faulty and ignored. An attack yields evidence against each side, blaming the signers per
 * `blamedValidators`.
 */
import { bytesEqual } from '../../codec/bytes.ts';
import { blockHash } from '../api/block.ts';
import {
  blamedValidators,
  isLunaticHeader,
  type LightClientAttackEvidence,
} from '../api/light_attack_evidence.ts';
import type { LightBlock } from '../api/light_block.ts';
import { verifySkipping } from './skipping.ts';
import type { LightBlockSource } from './source.ts';
import { totalPower, type VerifyContext } from './verifier.ts';

/** What the detector is given for one witness. */
export interface CrossCheck {
  /** The block the client just verified. */
  block: LightBlock;
  /** Every block the client trusts, ascending (includes `block`). */
  trace: readonly LightBlock[];
  witness: LightBlockSource;
  /** Fetches from the witness (with the client's deadlines). */
  fetch: (height: number) => Promise<LightBlock>;
  ctx: () => VerifyContext;
}

/** Evidence of one attack, against each side. */
export interface AttackEvidence {
  /** The primary's block as the conflict (handed to the witness). */
  againstPrimary: LightClientAttackEvidence;
  /** The witness's block as the conflict (handed to the primary). */
  againstWitness: LightClientAttackEvidence;
}

/**
 * Builds evidence that `conflicted` conflicts with `trusted` at the same height, both descending from
 * `common` (CometBFT's newLightClientAttackEvidence).
 */
export function attackEvidence(
  conflicted: LightBlock,
  trusted: LightBlock,
  common: LightBlock,
): LightClientAttackEvidence {
  const lunatic = isLunaticHeader(conflicted.header, trusted.header);
  const basis = lunatic ? common : trusted;
  return {
    conflictingBlock: conflicted,
    commonHeight: basis.header.height,
    byzantineValidators: blamedValidators(common.validators, conflicted, trusted),
    totalVotingPower: totalPower(basis.validators),
    timestamp: basis.header.time,
  };
}

async function tryFetch(fetch: (h: number) => Promise<LightBlock>, h: number): Promise<LightBlock | null> {
  try {
    return await fetch(h);
  } catch {
    return null;
  }
}

const sameBlock = (a: LightBlock, b: LightBlock) => bytesEqual(blockHash(a.header), blockHash(b.header));

/** Cross-checks `check.block` with the witness; null when it agrees, is unreachable or is merely faulty. */
export async function findAttack(check: CrossCheck): Promise<AttackEvidence | null> {
  const seen = await tryFetch(check.fetch, check.block.header.height);
  if (seen === null || sameBlock(seen, check.block)) return null;
  let common: LightBlock | undefined;
  for (const ours of check.trace) {
    if (ours.header.height > check.block.header.height) break;
    const theirs = ours === check.block ? seen : await tryFetch(check.fetch, ours.header.height);
    if (theirs === null) return null;
    if (sameBlock(theirs, ours)) {
      common = ours;
      continue;
    }
    // The witness diverges at `ours`. Disagreeing on the trust root itself says nothing about the chain.
    if (common === undefined) return null;
    let verified: LightBlock[];
    try {
      verified = await verifySkipping(common, theirs, check.fetch, check.ctx);
    } catch {
      return null;
    }
    const witnessBlock = verified[verified.length - 1]!;
    return {
      againstPrimary: attackEvidence(ours, witnessBlock, common),
      againstWitness: attackEvidence(witnessBlock, ours, common),
    };
  }
  return null;
}
