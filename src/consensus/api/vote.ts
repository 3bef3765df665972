/**
 * Signed consensus messages: prevotes, precommits and proposals. Each is signed by a validator's consensus
 * key over the canonical CBOR of its sign bytes, under the `oasis-core/tendermint` context bound to the
 * chain, so a vote cannot be replayed on another chain or reinterpreted as another message kind.
 */
import { decodeCanonical, encodeCanonical } from '../../codec/cbor.ts';
import { bytes, type Decoder, enumOf, int, optional, struct, uint } from '../../codec/schema.ts';
import { Contexts } from '../../crypto/context.ts';
import { type Ed25519KeyPair, PUBLIC_KEY_SIZE, SIGNATURE_SIZE } from '../../crypto/ed25519.ts';
import { HASH_SIZE } from '../../crypto/hash.ts';
import { signBytes as signWithContext, verifySignature } from '../../crypto/signature.ts';

/** Kinds of signed consensus messages (numbered as CometBFT's SignedMsgType). */
export const MessageType = Object.freeze({ prevote: 1, precommit: 2, proposal: 32 } as const);
/** A vote kind. */
export type VoteType = typeof MessageType.prevote | typeof MessageType.precommit;

/** A prevote or precommit for a block hash, or for nil (`blockHash === null`). */
export interface Vote {
  type: VoteType;
  height: number;
  round: number;
  /** Hash of the block voted for; null votes for nil. */
  blockHash: Uint8Array | null;
  /** Voter's local time, unix milliseconds (feeds the weighted-median block time). */
  timestamp: number;
  /** Consensus public key of the voter. */
  validator: Uint8Array;
  signature: Uint8Array;
}

/** A proposal of a block for (height, round), with the paper's valid round (`polRound`, -1 for none). */
export interface Proposal {
  height: number;
  round: number;
  polRound: number;
  blockHash: Uint8Array;
  /** Proposer's local time, unix milliseconds. */
  timestamp: number;
  /** Consensus public key of the proposer. */
  proposer: Uint8Array;
  signature: Uint8Array;
}

/** The bytes a vote's signature covers. */
export function voteSignBytes(v: Omit<Vote, 'signature' | 'validator'>): Uint8Array {
  return encodeCanonical({
    type: v.type,
    height: v.height,
    round: v.round,
    block_hash: v.blockHash,
    timestamp: v.timestamp,
  });
}

/** The bytes a proposal's signature covers. */
export function proposalSignBytes(p: Omit<Proposal, 'signature' | 'proposer'>): Uint8Array {
  return encodeCanonical({
    type: MessageType.proposal,
    height: p.height,
    round: p.round,
    pol_round: p.polRound,
    block_hash: p.blockHash,
    timestamp: p.timestamp,
  });
}

/** Signs a vote with the validator's consensus key. */
export function signVote(
  key: Ed25519KeyPair,
  v: Omit<Vote, 'signature' | 'validator'>,
  chainContext: string,
): Vote {
  const sig = signWithContext(key, Contexts.consensusVote, voteSignBytes(v), chainContext);
  return { ...v, validator: key.publicKey, signature: sig.signature };
}

/** Signs a proposal with the proposer's consensus key. */
export function signProposal(
  key: Ed25519KeyPair,
  p: Omit<Proposal, 'signature' | 'proposer'>,
  chainContext: string,
): Proposal {
  const sig = signWithContext(key, Contexts.consensusVote, proposalSignBytes(p), chainContext);
  return { ...p, proposer: key.publicKey, signature: sig.signature };
}

/** True when the vote's signature is valid for its claimed validator key. */
export function verifyVote(v: Vote, chainContext: string): boolean {
  return verifySignature(
    { public_key: v.validator, signature: v.signature },
    Contexts.consensusVote,
    voteSignBytes(v),
    chainContext,
  );
}

/** True when the proposal's signature is valid for its claimed proposer key. */
export function verifyProposal(p: Proposal, chainContext: string): boolean {
  return verifySignature(
    { public_key: p.proposer, signature: p.signature },
    Contexts.consensusVote,
    proposalSignBytes(p),
    chainContext,
  );
}

/** CBOR-ready form of a vote (for gossip, WAL and evidence). */
export function voteToCbor(v: Vote): Record<string, unknown> {
  return {
    type: v.type,
    height: v.height,
    round: v.round,
    block_hash: v.blockHash,
    timestamp: v.timestamp,
    validator: v.validator,
    signature: v.signature,
  };
}

const voteStruct = struct({
  type: enumOf([MessageType.prevote, MessageType.precommit] as const),
  height: uint,
  round: uint,
  block_hash: optional((value, path) => (value === null ? null : bytes(HASH_SIZE)(value, path))),
  timestamp: uint,
  validator: bytes(PUBLIC_KEY_SIZE),
  signature: bytes(SIGNATURE_SIZE),
});

/** Strict decoder of a vote (signature not checked). */
export const voteDecoder: Decoder<Vote> = (value, path) => {
  const d = voteStruct(value, path);
  return {
    type: d.type,
    height: d.height,
    round: d.round,
    blockHash: d.block_hash ?? null,
    timestamp: d.timestamp,
    validator: d.validator,
    signature: d.signature,
  };
};

/** CBOR-ready form of a proposal. */
export function proposalToCbor(p: Proposal): Record<string, unknown> {
  return {
    height: p.height,
    round: p.round,
    pol_round: p.polRound,
    block_hash: p.blockHash,
    timestamp: p.timestamp,
    proposer: p.proposer,
    signature: p.signature,
  };
}

const proposalStruct = struct({
  height: uint,
  round: uint,
  pol_round: int,
  block_hash: bytes(HASH_SIZE),
  timestamp: uint,
  proposer: bytes(PUBLIC_KEY_SIZE),
  signature: bytes(SIGNATURE_SIZE),
});

/** Strict decoder of a proposal (signature not checked). */
export const proposalDecoder: Decoder<Proposal> = (value, path) => {
  const d = proposalStruct(value, path);
  if (d.pol_round < -1 || d.pol_round >= d.round) {
    throw new RangeError(`${path}.pol_round: must be -1 or below the round`);
  }
  return {
    height: d.height,
    round: d.round,
    polRound: d.pol_round,
    blockHash: d.block_hash,
    timestamp: d.timestamp,
    proposer: d.proposer,
    signature: d.signature,
  };
};

/** Decodes a vote from CBOR bytes. */
export function decodeVote(data: Uint8Array): Vote {
  return voteDecoder(decodeCanonical(data), 'vote');
}
