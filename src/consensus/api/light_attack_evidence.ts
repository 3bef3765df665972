/**
 * Light-client-attack evidence (CometBFT's `LightClientAttackEvidence`): a header that conflicts with the
 * chain yet carries a commit a light client would accept. It proves misbehaviour by the validators that
 * signed it — of the common set for a lunatic header (one the chain's validators never produced), or
 * the validators that signed both headers at one height for an equivocation.
 */
import { bytesEqual, compareBytes, toHex } from '../../codec/bytes.ts';
import { decodeCanonical, encodeCanonical } from '../../codec/cbor.ts';
import { arrayOf, bytes, type Decoder, struct, u64, uint } from '../../codec/schema.ts';
import { PUBLIC_KEY_SIZE } from '../../crypto/ed25519.ts';
import { sha512_256 } from '../../crypto/hash.ts';
import { CodecError } from '../../errors.ts';
import type { BlockHeader } from './block.ts';
import { type Commit, CommitFlag, type CommitValidator } from './commit.ts';
import {
  type LightBlock,
  lightBlockDecoder,
  lightBlockToCbor,
  MAX_LIGHT_BLOCK_BYTES,
  MAX_LIGHT_VALIDATORS,
} from './light_block.ts';

/** A conflicting light block and who is to blame for it. */
export interface LightClientAttackEvidence {
  conflictingBlock: LightBlock;
  /** Last height both chains agree on (lunatic), or the conflicting height itself (equivocation, amnesia). */
  commonHeight: number;
  /** Consensus keys of the validators the evidence blames, sorted. */
  byzantineValidators: Uint8Array[];
  /** Total power of the validator set at the common height. */
  totalVotingPower: bigint;
  /** Time of the common block, unix ms. */
  timestamp: number;
}

/** CBOR-ready form. */
export function lightAttackToCbor(ev: LightClientAttackEvidence): Record<string, unknown> {
  return {
    conflicting_block: lightBlockToCbor(ev.conflictingBlock),
    common_height: ev.commonHeight,
    byzantine_validators: ev.byzantineValidators,
    total_voting_power: ev.totalVotingPower,
    timestamp: ev.timestamp,
  };
}

const attackStruct = struct({
  conflicting_block: lightBlockDecoder,
  common_height: uint,
  byzantine_validators: arrayOf(bytes(PUBLIC_KEY_SIZE), MAX_LIGHT_VALIDATORS),
  total_voting_power: u64,
  timestamp: uint,
});

/** Strict decoder (nothing verified). */
export const lightAttackDecoder: Decoder<LightClientAttackEvidence> = (value, path) => {
  const d = attackStruct(value, path);
  return {
    conflictingBlock: d.conflicting_block,
    commonHeight: d.common_height,
    byzantineValidators: d.byzantine_validators,
    totalVotingPower: d.total_voting_power,
    timestamp: d.timestamp,
  };
};

/** True when a CBOR value has this evidence's shape (tells it apart from duplicate-vote evidence). */
export function isLightAttackValue(value: unknown): boolean {
  return value !== null && typeof value === 'object' && 'conflicting_block' in (value as object);
}

/** Canonical bytes (what `SubmitEvidence` and blocks carry). */
export function encodeLightAttack(ev: LightClientAttackEvidence): Uint8Array {
  return encodeCanonical(lightAttackToCbor(ev));
}

/** Decodes evidence bytes; refuses anything but the canonical encoding, so one offence has one hash. */
export function decodeLightAttack(data: Uint8Array): LightClientAttackEvidence {
  const ev = lightAttackDecoder(decodeCanonical(data, MAX_LIGHT_BLOCK_BYTES), 'evidence');
  if (!bytesEqual(encodeLightAttack(ev), data))
    throw new CodecError('evidence', 'not the canonical encoding');
  for (let i = 1; i < ev.byzantineValidators.length; i++) {
    if (compareBytes(ev.byzantineValidators[i - 1]!, ev.byzantineValidators[i]!) >= 0) {
      throw new CodecError('evidence.byzantine_validators', 'not sorted or repeated');
    }
  }
  return ev;
}

/** Hash identifying the evidence. */
export function lightAttackHash(ev: LightClientAttackEvidence): Uint8Array {
  return sha512_256(encodeLightAttack(ev));
}

/**
 * True when `conflicting` could not have been produced by the chain's validators at its height (a lunatic
 * header: other validators, next validators or application state than the trusted header of that height).
 */
export function isLunaticHeader(conflicting: BlockHeader, trusted: BlockHeader): boolean {
  return (
    !bytesEqual(conflicting.validatorsHash, trusted.validatorsHash) ||
    !bytesEqual(conflicting.nextValidatorsHash, trusted.nextValidatorsHash) ||
    !bytesEqual(conflicting.appHash, trusted.appHash)
  );
}

function signerKeys(commit: Commit, validators: readonly CommitValidator[]): Set<string> {
  const keys = new Set<string>();
  validators.forEach((v, i) => {
    if (commit.signatures[i]?.flag === CommitFlag.commit) keys.add(toHex(v.publicKey));
  });
  return keys;
}

/**
 * The validators to blame (CometBFT's GetByzantineValidators): for a lunatic header, the members of the
 * common set that signed it; for an equivocation (both commits in one round), those that signed both; for
 * amnesia (different rounds), nobody can be singled out. Sorted by key.
 */
export function blamedValidators(
  common: readonly CommitValidator[],
  conflicting: LightBlock,
  trusted: LightBlock,
): Uint8Array[] {
  const conflictSigners = signerKeys(conflicting.commit, conflicting.validators);
  let blamed: CommitValidator[];
  if (isLunaticHeader(conflicting.header, trusted.header)) {
    blamed = common.filter((v) => conflictSigners.has(toHex(v.publicKey)));
  } else if (conflicting.commit.round === trusted.commit.round) {
    const trustedSigners = signerKeys(trusted.commit, trusted.validators);
    blamed = trusted.validators.filter((v) => {
      const k = toHex(v.publicKey);
      return conflictSigners.has(k) && trustedSigners.has(k);
    });
  } else blamed = [];
  return blamed.map((v) => v.publicKey).sort(compareBytes);
}
