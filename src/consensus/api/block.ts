/**
 * Block and block-header format. A block carries the transactions, the commit certificate of the previous
 * block (`lastCommit`, as in Tendermint) and opaque evidence items; the header commits to all of them by
 * hash, and the block hash is SHA-512/256 of the header's canonical CBOR, so votes (which carry only the
 * hash) bind the whole block.
 */
import { bytesEqual } from '../../codec/bytes.ts';
import { decodeCanonical, encodeCanonical } from '../../codec/cbor.ts';
import { arrayOf, bytes, type Decoder, struct, text, uint } from '../../codec/schema.ts';
import { PUBLIC_KEY_SIZE } from '../../crypto/ed25519.ts';
import { EMPTY_HASH, HASH_SIZE, sha512_256 } from '../../crypto/hash.ts';
import { merkleRoot, sha256 } from '../../crypto/merkle.ts';
import { type Commit, commitDecoder, commitHash, commitToCbor } from './commit.ts';

/** Largest number of transactions or evidence items a decoded block may hold. */
export const MAX_BLOCK_ITEMS = 100_000;

/** Header of a block: everything a vote binds to, by hash. */
export interface BlockHeader {
  height: number;
  /** Block time, unix milliseconds (weighted median of the last commit's timestamps; genesis time first). */
  time: number;
  /** Chain context string: blocks of another chain never verify here. */
  chainId: string;
  /** Hash of the previous block; `EMPTY_HASH` at the initial height. */
  lastBlockHash: Uint8Array;
  /** Hash of `lastCommit`; `EMPTY_HASH` at the initial height. */
  lastCommitHash: Uint8Array;
  /** Merkle root of the transactions (`txsHash`). */
  dataHash: Uint8Array;
  /** Hash of the evidence items. */
  evidenceHash: Uint8Array;
  /** Hash of the validator set that decides this block. */
  validatorsHash: Uint8Array;
  /** Hash of the validator set that decides the next block. */
  nextValidatorsHash: Uint8Array;
  /** Application state root after the previous block (as Tendermint: results lag one block). */
  appHash: Uint8Array;
  /** Consensus public key of the proposer. */
  proposer: Uint8Array;
}

/** A full block. */
export interface Block {
  header: BlockHeader;
  txs: Uint8Array[];
  /** Commit certificate of the previous block; null at the initial height. */
  lastCommit: Commit | null;
  /** Opaque CBOR-encoded evidence items (verified by the evidence module). */
  evidence: Uint8Array[];
}

/** CBOR-ready form of a header. */
export function headerToCbor(h: BlockHeader): Record<string, unknown> {
  return {
    height: h.height,
    time: h.time,
    chain_id: h.chainId,
    last_block_hash: h.lastBlockHash,
    last_commit_hash: h.lastCommitHash,
    data_hash: h.dataHash,
    evidence_hash: h.evidenceHash,
    validators_hash: h.validatorsHash,
    next_validators_hash: h.nextValidatorsHash,
    app_hash: h.appHash,
    proposer: h.proposer,
  };
}

const hash32 = bytes(HASH_SIZE);
const headerStruct = struct({
  height: uint,
  time: uint,
  chain_id: text,
  last_block_hash: hash32,
  last_commit_hash: hash32,
  data_hash: hash32,
  evidence_hash: hash32,
  validators_hash: hash32,
  next_validators_hash: hash32,
  app_hash: hash32,
  proposer: bytes(PUBLIC_KEY_SIZE),
});

/** Strict decoder of a header. */
export const headerDecoder: Decoder<BlockHeader> = (value, path) => {
  const d = headerStruct(value, path);
  return {
    height: d.height,
    time: d.time,
    chainId: d.chain_id,
    lastBlockHash: d.last_block_hash,
    lastCommitHash: d.last_commit_hash,
    dataHash: d.data_hash,
    evidenceHash: d.evidence_hash,
    validatorsHash: d.validators_hash,
    nextValidatorsHash: d.next_validators_hash,
    appHash: d.app_hash,
    proposer: d.proposer,
  };
};

/** The block hash: SHA-512/256 of the header's canonical CBOR. */
export function blockHash(header: BlockHeader): Uint8Array {
  return sha512_256(encodeCanonical(headerToCbor(header)));
}

/** Hash of an ordered list of byte items (the evidence): SHA-512/256 of its canonical CBOR. */
export function itemsHash(items: readonly Uint8Array[]): Uint8Array {
  return sha512_256(encodeCanonical(items));
}

/**
 * The header's `data_hash`: CometBFT's Merkle root over the transactions' SHA-256 hashes, so one
 * transaction's inclusion is provable against the header (`GetTransactionsWithProofs`).
 */
export function txsHash(txs: readonly Uint8Array[]): Uint8Array {
  return merkleRoot(txs.map((tx) => sha256(tx)));
}

/** Hash of an optional last commit as the header records it. */
export function lastCommitHashOf(commit: Commit | null): Uint8Array {
  return commit === null ? EMPTY_HASH : commitHash(commit);
}

/** CBOR-ready form of a block. */
export function blockToCbor(b: Block): Record<string, unknown> {
  return {
    header: headerToCbor(b.header),
    txs: b.txs,
    last_commit: b.lastCommit === null ? null : commitToCbor(b.lastCommit),
    evidence: b.evidence,
  };
}

const blockStruct = struct({
  header: headerDecoder,
  txs: arrayOf(bytes(), MAX_BLOCK_ITEMS),
  last_commit: (value, path) => (value === null ? null : commitDecoder(value, path)),
  evidence: arrayOf(bytes(), MAX_BLOCK_ITEMS),
});

/** Strict decoder of a block (hashes are not checked: see `checkBlockHashes`). */
export const blockDecoder: Decoder<Block> = (value, path) => {
  const d = blockStruct(value, path);
  return { header: d.header, txs: d.txs, lastCommit: d.last_commit, evidence: d.evidence };
};

/** Canonical CBOR bytes of a block. */
export function encodeBlock(b: Block): Uint8Array {
  return encodeCanonical(blockToCbor(b));
}

/** Decodes a block from CBOR bytes. */
export function decodeBlock(data: Uint8Array, maxBytes?: number): Block {
  return blockDecoder(decodeCanonical(data, maxBytes), 'block');
}

/**
 * Checks that the header's data, evidence and last-commit hashes match the block's body, so a block whose
 * hash was voted on cannot carry different contents. Returns the name of the first mismatching field.
 */
export function bodyHashMismatch(b: Block): string | null {
  if (!bytesEqual(b.header.dataHash, txsHash(b.txs))) return 'data_hash';
  if (!bytesEqual(b.header.evidenceHash, itemsHash(b.evidence))) return 'evidence_hash';
  if (!bytesEqual(b.header.lastCommitHash, lastCommitHashOf(b.lastCommit))) return 'last_commit_hash';
  return null;
}
