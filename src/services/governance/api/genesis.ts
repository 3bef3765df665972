/**
 * The genesis `governance` section (`go/governance/api.Genesis`): parameters, every proposal, and the
 * votes of each proposal by id (a proposal without votes maps to null, as Go writes a nil slice).
 */
import { u64 } from '../../../codec/schema.ts';
import { type Codec, field, mapCodec, nilSliceCodec, structCodec, u64Codec } from '../../../codec/typed.ts';
import { governanceParametersCodec } from './params.ts';
import { proposalCodec, voteEntryCodec } from './proposal.ts';

/** A proposal id as a map key: a CBOR uint, a decimal JSON object key. */
const proposalIdKeyCodec: Codec<bigint> = {
  ...u64Codec,
  fromJson: (v, p) =>
    typeof v === 'string' && /^[0-9]+$/.test(v) ? u64(BigInt(v), p) : u64Codec.fromJson(v, p),
  toJson: (v) => v.toString(),
};

/** The genesis `governance` section. */
export const governanceGenesisCodec = structCodec({
  params: field(governanceParametersCodec),
  proposals: field(nilSliceCodec(proposalCodec), true),
  vote_entries: field(mapCodec(proposalIdKeyCodec, nilSliceCodec(voteEntryCodec)), true),
});

/** The genesis `governance` section, decoded. */
export type GovernanceGenesis = ReturnType<typeof governanceGenesisCodec.decode>;
