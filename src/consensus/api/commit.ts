/**
 * Commit certificates: the precommits that decided a block, one entry per validator in validator-set
 * order (absent, commit or nil, as CometBFT's CommitSig). Block H+1 carries H's commit as `lastCommit`, so
 * finality of H is provable from the chain itself, and the timestamps feed H+1's block time.
 */
import { bytesEqual, toHex } from '../../codec/bytes.ts';
import { encodeCanonical } from '../../codec/cbor.ts';
import { arrayOf, bytes, type Decoder, enumOf, optional, struct, uint } from '../../codec/schema.ts';
import { SIGNATURE_SIZE } from '../../crypto/ed25519.ts';
import { HASH_SIZE, sha512_256 } from '../../crypto/hash.ts';
import { CodedError } from '../../errors.ts';
import { MessageType, type Vote, verifyVote } from './vote.ts';

/** Error module of commit verification failures. */
export const COMMIT_MODULE = 'consensus/commit';

/** Coded errors of commit verification. */
export const CommitErrors = Object.freeze({
  wrongHeight: 1,
  wrongBlock: 2,
  wrongSize: 3,
  badSignature: 4,
  insufficientPower: 5,
} as const);

/** How a validator took part in a commit (numbered as CometBFT's BlockIDFlag). */
export const CommitFlag = Object.freeze({ absent: 1, commit: 2, nil: 3 } as const);
/** A commit flag value. */
export type CommitFlag = (typeof CommitFlag)[keyof typeof CommitFlag];

/** One validator's entry in a commit. */
export type CommitSig =
  | { flag: typeof CommitFlag.absent }
  | { flag: typeof CommitFlag.commit | typeof CommitFlag.nil; timestamp: number; signature: Uint8Array };

/** The precommits that decided block `blockHash` at (height, round). */
export interface Commit {
  height: number;
  round: number;
  blockHash: Uint8Array;
  /** One entry per validator of the deciding set, in set order. */
  signatures: CommitSig[];
}

/** A validator as commit verification needs it. */
export interface CommitValidator {
  publicKey: Uint8Array;
  power: bigint;
}

/** CBOR-ready form of a commit. */
export function commitToCbor(c: Commit): Record<string, unknown> {
  return {
    height: c.height,
    round: c.round,
    block_hash: c.blockHash,
    signatures: c.signatures.map((s) =>
      s.flag === CommitFlag.absent
        ? { flag: s.flag }
        : { flag: s.flag, timestamp: s.timestamp, signature: s.signature },
    ),
  };
}

const sigStruct = struct({
  flag: enumOf([CommitFlag.absent, CommitFlag.commit, CommitFlag.nil] as const),
  timestamp: optional(uint),
  signature: optional(bytes(SIGNATURE_SIZE)),
});

const commitSigDecoder: Decoder<CommitSig> = (value, path) => {
  const d = sigStruct(value, path);
  if (d.flag === CommitFlag.absent) {
    if (d.timestamp !== undefined || d.signature !== undefined) {
      throw new CodedError(COMMIT_MODULE, CommitErrors.wrongSize, `${path}: absent entry with a signature`);
    }
    return { flag: d.flag };
  }
  if (d.timestamp === undefined || d.signature === undefined) {
    throw new CodedError(COMMIT_MODULE, CommitErrors.badSignature, `${path}: entry without a signature`);
  }
  return { flag: d.flag, timestamp: d.timestamp, signature: d.signature };
};

const commitStruct = struct({
  height: uint,
  round: uint,
  block_hash: bytes(HASH_SIZE),
  signatures: arrayOf(commitSigDecoder, 100_000),
});

/** Strict decoder of a commit (signatures not checked: see `verifyCommit`). */
export const commitDecoder: Decoder<Commit> = (value, path) => {
  const d = commitStruct(value, path);
  return { height: d.height, round: d.round, blockHash: d.block_hash, signatures: d.signatures };
};

/** Hash of a commit (recorded as `last_commit_hash` in the next header). */
export function commitHash(c: Commit): Uint8Array {
  return sha512_256(encodeCanonical(commitToCbor(c)));
}

/** The precommit an entry of the commit stands for (null for an absent entry). */
export function commitEntryVote(c: Commit, index: number, validator: Uint8Array): Vote | null {
  const s = c.signatures[index];
  if (s === undefined || s.flag === CommitFlag.absent) return null;
  return {
    type: MessageType.precommit,
    height: c.height,
    round: c.round,
    blockHash: s.flag === CommitFlag.commit ? c.blockHash : null,
    timestamp: s.timestamp,
    validator,
    signature: s.signature,
  };
}

/**
 * Builds a commit from precommits of one (height, round), keyed by validator public key hex. Precommits for
 * another block are left out (absent): only commit and nil entries can be checked against the commit.
 */
export function buildCommit(
  height: number,
  round: number,
  blockHash: Uint8Array,
  validators: readonly CommitValidator[],
  precommits: ReadonlyMap<string, Vote>,
): Commit {
  const signatures = validators.map((v): CommitSig => {
    const vote = precommits.get(toHex(v.publicKey));
    if (vote === undefined || vote.height !== height || vote.round !== round)
      return { flag: CommitFlag.absent };
    if (vote.blockHash === null)
      return { flag: CommitFlag.nil, timestamp: vote.timestamp, signature: vote.signature };
    if (!bytesEqual(vote.blockHash, blockHash)) return { flag: CommitFlag.absent };
    return { flag: CommitFlag.commit, timestamp: vote.timestamp, signature: vote.signature };
  });
  return { height, round, blockHash, signatures };
}

/** True when `power` is more than two thirds of `total` (integer test 3w > 2n). */
export function exceedsTwoThirds(power: bigint, total: bigint): boolean {
  return 3n * power > 2n * total;
}

/**
 * Verifies a commit for block `blockHash` at `height` against the deciding validator set: one entry per
 * validator, every non-absent signature valid, and commit-flag power above two thirds of the total.
 * Throws a coded error otherwise; returns the power that signed for the block.
 */
export function verifyCommit(
  c: Commit,
  validators: readonly CommitValidator[],
  chainContext: string,
  height: number,
  blockHash: Uint8Array,
): bigint {
  const fail = (code: number, msg: string): never => {
    throw new CodedError(COMMIT_MODULE, code, `commit: ${msg}`);
  };
  if (c.height !== height) fail(CommitErrors.wrongHeight, `height ${c.height}, expected ${height}`);
  if (!bytesEqual(c.blockHash, blockHash)) fail(CommitErrors.wrongBlock, 'for another block');
  if (c.signatures.length !== validators.length) {
    fail(CommitErrors.wrongSize, `${c.signatures.length} entries for ${validators.length} validators`);
  }
  let total = 0n;
  let signed = 0n;
  validators.forEach((v, i) => {
    total += v.power;
    const vote = commitEntryVote(c, i, v.publicKey);
    if (vote === null) return;
    if (!verifyVote(vote, chainContext)) fail(CommitErrors.badSignature, `bad signature of entry ${i}`);
    if (vote.blockHash !== null) signed += v.power;
  });
  if (!exceedsTwoThirds(signed, total)) {
    fail(CommitErrors.insufficientPower, `signed power ${signed} of ${total} is not above two thirds`);
  }
  return signed;
}
