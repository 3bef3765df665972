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
import { versionCodec } from '../../registry/api/runtime.ts';
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

/** The versions an upgrade targets (`version.ProtocolVersions`). */
const protocolVersionsCodec = structCodec({
  consensus_protocol: field(versionCodec),
  runtime_host_protocol: field(versionCodec),
  runtime_committee_protocol: field(versionCodec),
});

/** An upgrade descriptor (`upgrade.Descriptor`, versioned). */
export const upgradeDescriptorCodec = structCodec({
  v: u64Field(false),
  handler: field(textCodec),
  target: field(protocolVersionsCodec),
  epoch: u64Field(false),
});

/** An upgrade descriptor. */
export type UpgradeDescriptor = ReturnType<typeof upgradeDescriptorCodec.decode>;

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

/** Upgrade descriptor versions (`upgrade.LatestDescriptorVersion` and the minimum). */
export const UPGRADE_DESCRIPTOR_VERSION = 1n;
/** The invalid epoch (`beacon.EpochInvalid`), never a valid upgrade epoch. */
export const EPOCH_INVALID = (1n << 64n) - 1n;

const isZeroVersion = (v: { major: number; minor: number; patch: number }) =>
  v.major === 0 && v.minor === 0 && v.patch === 0;

/** `upgrade.Descriptor.ValidateBasic`. */
export function validateUpgradeDescriptor(d: UpgradeDescriptor): void {
  const bad = (why: string) =>
    GovernanceErrors.invalidArgument(`governance: invalid upgrade descriptor: ${why}`);
  if (d.v !== UPGRADE_DESCRIPTOR_VERSION) throw bad('unsupported version');
  const handler = new TextEncoder().encode(d.handler).length;
  if (handler < 3 || handler > 32) throw bad('handler must be 3 to 32 bytes');
  const t = d.target;
  if (
    isZeroVersion(t.consensus_protocol) ||
    isZeroVersion(t.runtime_host_protocol) ||
    isZeroVersion(t.runtime_committee_protocol)
  )
    throw bad('target versions must be set');
  if (d.epoch < 1n || d.epoch >= EPOCH_INVALID) throw bad('invalid epoch');
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
