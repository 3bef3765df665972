/**
 * Proposals in oasis-core's shapes (`go/governance/api/proposal.go`, `go/upgrade/api`): the content a
 * submitter proposes (upgrade, cancel upgrade or parameter change, with optional metadata), the stored
 * proposal with its state and results, votes, and the basic checks every proposal passes.
 */
import { fromBase64, toBase64 } from '../../../codec/bytes.ts';
import { type CborValue, decodeCanonical, encodeCanonical } from '../../../codec/cbor.ts';
import {
  type Codec,
  enumCodec,
  field,
  mapCodec,
  optionalCodec,
  quantityCodec,
  quantityField,
  structCodec,
  textCodec,
  u64Field,
} from '../../../codec/typed.ts';
import { addressCodec } from '../../../crypto/address.ts';
import { CodecError } from '../../../errors.ts';
import {
  descriptorProblem,
  type UpgradeDescriptor,
  upgradeDescriptorCodec,
} from '../../upgrade/api/descriptor.ts';
import { GovernanceErrors } from './errors.ts';
import type { GovernanceParameters } from './params.ts';

/** Proposal states (`governance.STATE_*`). */
export const ProposalState = Object.freeze({ active: 1, passed: 2, rejected: 3, failed: 4 });

/** Vote options (`governance.VOTE_*`); oasis-core stores any u8 a voter sends. */
export const Vote = Object.freeze({ yes: 1, no: 2, abstain: 3 });

/**
 * Votes and states: a CBOR uint, JSON text ("yes", "passed") as Go's TextMarshaler writes them. Votes
 * outside yes/no/abstain are refused (oasis-core would store any u8; none of its clients sends one).
 */
const voteCodec = enumCodec(Vote);
const stateCodec = enumCodec(ProposalState);

/**
 * An embedded CBOR value kept as is (`cbor.RawMessage`): the module's own changes. JSON has its bytes in
 * base64, as Go's encoding/json writes a byte slice.
 */
const rawCodec: Codec<CborValue> = {
  decode: (v) => v,
  encode: (v) => v,
  fromJson: (v, p) => {
    if (typeof v !== 'string') throw new CodecError(p, 'expected base64 CBOR');
    return decodeCanonical(fromBase64(v));
  },
  toJson: (v) => toBase64(encodeCanonical(v)),
  isEmpty: (v) => v === undefined || v === null,
};

/** The content of a proposal: exactly one of upgrade, cancel_upgrade and change_parameters. */
export const proposalContentCodec = structCodec({
  metadata: field(
    optionalCodec(
      structCodec({ title: field(textCodec), description: field(optionalCodec(textCodec), true) }),
    ),
    true,
  ),
  upgrade: field(optionalCodec(upgradeDescriptorCodec), true),
  cancel_upgrade: field(optionalCodec(structCodec({ proposal_id: u64Field(false) })), true),
  change_parameters: field(
    optionalCodec(structCodec({ module: field(textCodec), changes: field(rawCodec) })),
    true,
  ),
});

/** A proposal's content. */
export type ProposalContent = ReturnType<typeof proposalContentCodec.decode>;

/** A stored proposal. `results` and `invalid_votes` appear once it is closed. */
export const proposalCodec = structCodec({
  id: u64Field(false),
  submitter: field(addressCodec),
  state: field(stateCodec),
  deposit: quantityField(false),
  content: field(proposalContentCodec),
  created_at: u64Field(false),
  closes_at: u64Field(false),
  results: field(optionalCodec(mapCodec(voteCodec, quantityCodec)), true),
  invalid_votes: u64Field(true),
});

/** A proposal. */
export type Proposal = ReturnType<typeof proposalCodec.decode>;

/** `governance.CastVote` body and a stored vote. */
export const proposalVoteCodec = structCodec({ id: u64Field(false), vote: field(voteCodec) });

/** A vote by one voter (`VoteEntry`). */
export const voteEntryCodec = structCodec({ voter: field(addressCodec), vote: field(voteCodec) });

/** A vote entry. */
export type VoteEntry = ReturnType<typeof voteEntryCodec.decode>;

/** `upgrade.Descriptor.ValidateBasic`, refused as governance's invalid argument. */
export function validateUpgradeDescriptor(d: UpgradeDescriptor): void {
  const problem = descriptorProblem(d);
  if (problem !== undefined)
    throw GovernanceErrors.invalidArgument(`governance: invalid upgrade descriptor: ${problem}`);
}

/** `ProposalContent.ValidateBasic`: one kind, valid metadata as the parameters require. */
export function validateProposalContent(c: ProposalContent, params: GovernanceParameters): void {
  const kinds = [c.upgrade, c.cancel_upgrade, c.change_parameters].filter((k) => k !== undefined).length;
  if (kinds !== 1)
    throw GovernanceErrors.invalidArgument('governance: exactly one proposal kind must be set');
  if (params.allow_proposal_metadata) {
    if (c.metadata === undefined)
      throw GovernanceErrors.invalidArgument('governance: proposal metadata is required');
    const title = new TextEncoder().encode(c.metadata.title).length;
    if (title < 3 || title > 100)
      throw GovernanceErrors.invalidArgument('governance: proposal title must be 3 to 100 bytes');
  } else if (c.metadata !== undefined) {
    throw GovernanceErrors.invalidArgument('governance: proposal metadata is not allowed');
  }
  if (c.upgrade !== undefined) validateUpgradeDescriptor(c.upgrade);
  const cp = c.change_parameters;
  if (cp !== undefined && (cp.module === '' || cp.changes === undefined || cp.changes === null))
    throw GovernanceErrors.invalidArgument(
      'governance: change parameters proposal needs a module and changes',
    );
}
