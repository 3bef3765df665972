/**
 * `oasis-core.Governance`: proposals, votes, pending upgrades, parameters and the genesis section over
 * committed state; `GetEvents`/`WatchEvents` come from the shared event methods.
 */
import { struct, u64, uint } from '../../codec/schema.ts';
import { GovernanceQueries as Q } from '../../services/governance/api/queries.ts';
import type { UnaryMethod } from '../method.ts';
import { type StateByHeight, stateMethod, structQueryMethod } from '../queries.ts';

/** The gRPC service name. */
export const GOVERNANCE_SERVICE = 'oasis-core.Governance';
const SERVICE = GOVERNANCE_SERVICE;

/** `ProposalQuery {height, id}` (Proposal, Votes). */
const proposalQuery = struct({ height: uint, id: u64 });

/** The Governance query methods over committed state. */
export function governanceMethods(states: StateByHeight): UnaryMethod[] {
  return [
    stateMethod(SERVICE, 'ActiveProposals', states, Q.activeProposals),
    stateMethod(SERVICE, 'Proposals', states, Q.proposals),
    structQueryMethod(SERVICE, 'Proposal', states, proposalQuery, (s, q) => Q.proposal(s, q.id)),
    structQueryMethod(SERVICE, 'Votes', states, proposalQuery, (s, q) => Q.votes(s, q.id)),
    stateMethod(SERVICE, 'PendingUpgrades', states, Q.pendingUpgrades),
    stateMethod(SERVICE, 'ConsensusParameters', states, Q.consensusParameters),
    stateMethod(SERVICE, 'StateToGenesis', states, Q.stateToGenesis),
  ];
}
