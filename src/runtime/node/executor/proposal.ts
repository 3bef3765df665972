/**
 * Batch proposals: the round's scheduler (rank 0 of the executor committee) signs which transactions the
 * round executes, on top of which runtime block, and gossips it to the committee. The header is oasis-core's
 * `commitment.ProposalHeader` {round, previous_hash, batch_hash} signed under the chain- and runtime-bound
 * proposal context. Unlike oasis-core, which names transactions by hash and lets workers fetch missing ones
 * (txsync), the proposal carries the batch itself, so every member can execute it without a second round
 * trip; `batch_hash` binds it.
 */
import { bytesEqual, toHex } from '../../../codec/bytes.ts';
import { decodeCanonical, encodeCanonical } from '../../../codec/cbor.ts';
import { arrayCodec, bytesCodec, field, hexCodec, structCodec, u64Codec } from '../../../codec/typed.ts';
import { Contexts, fullContext, signerMessage, withRuntimeSuffix } from '../../../crypto/context.ts';
import { type Ed25519KeyPair, verifyRaw } from '../../../crypto/ed25519.ts';
import { sha512_256 } from '../../../crypto/hash.ts';
import { CodecError } from '../../../errors.ts';

/** Most transactions a proposal may carry (the runtime's `max_batch_size` is usually far lower). */
export const MAX_PROPOSAL_TXS = 10_000;

/** What the scheduler signs. */
export const proposalHeaderCodec = structCodec({
  round: field(u64Codec),
  previous_hash: field(hexCodec(32)),
  batch_hash: field(hexCodec(32)),
});

/** A proposal header. */
export type ProposalHeader = ReturnType<typeof proposalHeaderCodec.decode>;

/** A signed proposal with its batch. */
export const proposalCodec = structCodec({
  node_id: field(bytesCodec(32)),
  header: field(proposalHeaderCodec),
  sig: field(bytesCodec(64)),
  batch: field(arrayCodec(bytesCodec(), MAX_PROPOSAL_TXS)),
});

/** A signed proposal. */
export type Proposal = ReturnType<typeof proposalCodec.decode>;

/** SHA-512/256 of each transaction, in batch order. */
export function txHashes(batch: readonly Uint8Array[]): Uint8Array[] {
  return batch.map((tx) => sha512_256(tx));
}

/** The batch hash: SHA-512/256 of the CBOR list of the transactions' hashes. */
export function batchHash(batch: readonly Uint8Array[]): Uint8Array {
  return sha512_256(encodeCanonical(txHashes(batch)));
}

function proposalMessage(runtimeId: Uint8Array, chainContext: string, header: ProposalHeader): Uint8Array {
  const context = fullContext(withRuntimeSuffix(Contexts.proposal, toHex(runtimeId)), chainContext);
  return signerMessage(context, encodeCanonical(proposalHeaderCodec.encode(header)));
}

/** Signs a proposal of `batch` for `round` on top of the block whose hash is `previousHash`. */
export function signProposal(
  signer: Ed25519KeyPair,
  runtimeId: Uint8Array,
  chainContext: string,
  round: bigint,
  previousHash: Uint8Array,
  batch: Uint8Array[],
): Proposal {
  const header = { round, previous_hash: previousHash, batch_hash: batchHash(batch) };
  const sig = signer.signRaw(proposalMessage(runtimeId, chainContext, header));
  return { node_id: signer.publicKey, header, sig, batch };
}

/** True when the proposal is signed by `node_id` for this runtime and chain and names its own batch. */
export function verifyProposal(p: Proposal, runtimeId: Uint8Array, chainContext: string): boolean {
  if (!bytesEqual(batchHash(p.batch), p.header.batch_hash)) return false;
  return verifyRaw(p.node_id, proposalMessage(runtimeId, chainContext, p.header), p.sig);
}

/** Wire form of a proposal. */
export function encodeProposal(p: Proposal): Uint8Array {
  return encodeCanonical(proposalCodec.encode(p));
}

/** Decodes a proposal from the wire (a codec error when malformed or larger than `maxBytes`). */
export function decodeProposal(data: Uint8Array, maxBytes: number): Proposal {
  if (data.length > maxBytes) throw new CodecError('proposal', `larger than ${maxBytes} bytes`);
  return proposalCodec.decode(decodeCanonical(data), 'proposal');
}
