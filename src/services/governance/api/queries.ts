/**
 * The governance query backend (`oasis-core.Governance`) over a `StateReader`, in oasis-core's CBOR
 * shapes: proposals, votes, pending upgrades, parameters and the genesis section.
 */
import type { StateReader } from '../../../state/api.ts';
import { GovernanceStateReader } from '../state.ts';
import { GovernanceErrors } from './errors.ts';
import { type GovernanceGenesis, governanceGenesisCodec } from './genesis.ts';
import { governanceParametersCodec } from './params.ts';
import { proposalCodec, voteEntryCodec } from './proposal.ts';

type Obj = Record<string, unknown>;
const reader = (state: StateReader) => new GovernanceStateReader(state);
/** Go writes an empty slice built by appending as nil. */
const nilIfEmpty = <T>(list: T[]): T[] | null => (list.length === 0 ? null : list);

/** The governance state as its genesis section (every proposal gets a vote entry, null when none). */
export function governanceStateToGenesis(state: StateReader): GovernanceGenesis {
  const r = reader(state);
  const proposals = r.proposals();
  return {
    params: r.parameters(),
    proposals,
    vote_entries: new Map(proposals.map((p) => [p.id, r.votes(p.id)])),
  };
}

/** The governance query methods, named as oasis-core's gRPC methods. */
export const GovernanceQueries = Object.freeze({
  /** True once governance's genesis was loaded (a chain may run without the service). */
  isRunning: (state: StateReader): boolean => reader(state).hasParameters(),
  /** `ActiveProposals`: by (closes_at, id). */
  activeProposals: (state: StateReader) =>
    nilIfEmpty(
      reader(state)
        .activeProposals()
        .map((p) => proposalCodec.encode(p)),
    ),
  /** `Proposals`: by id. */
  proposals: (state: StateReader) =>
    nilIfEmpty(
      reader(state)
        .proposals()
        .map((p) => proposalCodec.encode(p)),
    ),
  /** `Proposal {id}`: governance/5 when unknown. */
  proposal(state: StateReader, id: bigint): unknown {
    const p = reader(state).proposal(id);
    if (p === undefined) throw GovernanceErrors.noSuchProposal();
    return proposalCodec.encode(p);
  },
  /** `Votes {id}`: by voter address; null when none (or the id is unknown). */
  votes: (state: StateReader, id: bigint) =>
    nilIfEmpty(
      reader(state)
        .votes(id)
        .map((v) => voteEntryCodec.encode(v)),
    ),
  /** `PendingUpgrades`: descriptors by (epoch, id). */
  pendingUpgrades: (state: StateReader) =>
    nilIfEmpty(
      reader(state)
        .pendingUpgradeProposals()
        .map((p) => proposalCodec.encode(p) as Obj)
        .map((p) => (p.content as Obj).upgrade),
    ),
  /** `ConsensusParameters`. */
  consensusParameters: (state: StateReader) =>
    governanceParametersCodec.encode(reader(state).parameters()) as Obj,
  /** `StateToGenesis`. */
  stateToGenesis: (state: StateReader) =>
    governanceGenesisCodec.encode(governanceStateToGenesis(state)) as Obj,
});
