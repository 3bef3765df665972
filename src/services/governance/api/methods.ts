/**
 * Governance transaction methods and their bodies (`governance.SubmitProposal` takes a `ProposalContent`,
 * `governance.CastVote` a `ProposalVote`). A body that does not decode strictly fails with governance/1.
 */
import type { CborValue } from '../../../codec/cbor.ts';
import type { Codec } from '../../../codec/typed.ts';
import { GovernanceErrors } from './errors.ts';
import { type ProposalContent, proposalContentCodec, proposalVoteCodec } from './proposal.ts';

/** Governance method names. */
export const GovernanceMethods = Object.freeze({
  submitProposal: 'governance.SubmitProposal',
  castVote: 'governance.CastVote',
});

/** A `governance.CastVote` body. */
export interface ProposalVote {
  id: bigint;
  vote: number;
}

function decodeWith<T>(codec: Codec<T>, body: CborValue | undefined, what: string): T {
  try {
    if (body === undefined) throw new Error('missing body');
    return codec.decode(body, what);
  } catch (err) {
    throw GovernanceErrors.invalidArgument(`governance: malformed ${what}: ${(err as Error).message}`);
  }
}

/** Decoders of the two bodies. */
export const GovernanceBodies = Object.freeze({
  submitProposal: (b: CborValue | undefined): ProposalContent =>
    decodeWith(proposalContentCodec, b, 'proposal'),
  castVote: (b: CborValue | undefined): ProposalVote => decodeWith(proposalVoteCodec, b, 'vote'),
});
