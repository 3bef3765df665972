/**
 * What consensus nodes exchange: signed proposals (with the full block, so a receiver can judge validity),
 * signed votes, decided blocks with their commit (catch-up for a node that missed a height) and a status
 * beacon (a node's height, so peers know what it lacks). One canonical CBOR form serves the wire and the WAL.
 */
import { decodeCanonical, encodeCanonical } from '../../codec/cbor.ts';
import { type Decoder, struct, uint } from '../../codec/schema.ts';
import { type Block, blockDecoder, blockToCbor } from '../api/block.ts';
import { type Commit, commitDecoder, commitToCbor } from '../api/commit.ts';
import {
  type Proposal,
  proposalDecoder,
  proposalToCbor,
  type Vote,
  voteDecoder,
  voteToCbor,
} from '../api/vote.ts';

/** A consensus message. */
export type ConsensusMessage =
  | { kind: 'proposal'; proposal: Proposal; block: Block }
  | { kind: 'vote'; vote: Vote }
  /** A decided block and the commit that proves it (catch-up). */
  | { kind: 'commit'; block: Block; commit: Commit }
  /** "I am working on `height`": peers answer with what the sender lacks. */
  | { kind: 'status'; height: number };

/** Largest encoded message accepted (blocks dominate). */
export const MAX_MESSAGE_BYTES = 8 * 1024 * 1024;

/** CBOR-ready form of a message. */
export function messageToCbor(m: ConsensusMessage): Record<string, unknown> {
  switch (m.kind) {
    case 'proposal':
      return { proposal: proposalToCbor(m.proposal), block: blockToCbor(m.block) };
    case 'vote':
      return { vote: voteToCbor(m.vote) };
    case 'commit':
      return { commit: commitToCbor(m.commit), block: blockToCbor(m.block) };
    case 'status':
      return { status: m.height };
  }
}

const proposalMsg = struct({ proposal: proposalDecoder, block: blockDecoder });
const voteMsg = struct({ vote: voteDecoder });
const commitMsg = struct({ commit: commitDecoder, block: blockDecoder });
const statusMsg = struct({ status: uint });

/** Strict decoder of a message (signatures not checked). */
export const messageDecoder: Decoder<ConsensusMessage> = (value, path) => {
  const keys =
    value !== null && typeof value === 'object' && !(value instanceof Uint8Array) ? Object.keys(value) : [];
  if (keys.includes('proposal')) {
    const d = proposalMsg(value, path);
    return { kind: 'proposal', proposal: d.proposal, block: d.block };
  }
  if (keys.includes('vote')) return { kind: 'vote', vote: voteMsg(value, path).vote };
  if (keys.includes('commit')) {
    const d = commitMsg(value, path);
    return { kind: 'commit', block: d.block, commit: d.commit };
  }
  return { kind: 'status', height: statusMsg(value, path).status };
};

/** Canonical CBOR bytes of a message. */
export function encodeMessage(m: ConsensusMessage): Uint8Array {
  return encodeCanonical(messageToCbor(m));
}

/** Decodes a message from bytes. */
export function decodeMessage(data: Uint8Array): ConsensusMessage {
  return messageDecoder(decodeCanonical(data, MAX_MESSAGE_BYTES), 'message');
}
