/**
 * Governance events (`go/governance/api` Event): a proposal was submitted, executed or finalized, or a
 * vote was cast. Finalization and execution happen in EndBlock, so those carry no transaction hash.
 */
import type { Address } from '../../../crypto/address.ts';
import type { ServiceContext } from '../../mux/context.ts';
import { GOVERNANCE_MODULE } from './errors.ts';

/** Event kinds (CBOR keys of the client's `GovernanceEvent`). */
export const GovernanceEventKinds = Object.freeze({
  proposalSubmitted: 'proposal_submitted',
  proposalExecuted: 'proposal_executed',
  proposalFinalized: 'proposal_finalized',
  vote: 'vote',
});

/** Emitters of every governance event. */
export const emitGovernance = Object.freeze({
  proposalSubmitted(ctx: ServiceContext, id: bigint, submitter: Address): void {
    ctx.emit(GOVERNANCE_MODULE, GovernanceEventKinds.proposalSubmitted, { id, submitter });
  },
  proposalExecuted(ctx: ServiceContext, id: bigint): void {
    ctx.emit(GOVERNANCE_MODULE, GovernanceEventKinds.proposalExecuted, { id });
  },
  proposalFinalized(ctx: ServiceContext, id: bigint, state: number): void {
    ctx.emit(GOVERNANCE_MODULE, GovernanceEventKinds.proposalFinalized, { id, state });
  },
  vote(ctx: ServiceContext, id: bigint, submitter: Address, vote: number): void {
    ctx.emit(GOVERNANCE_MODULE, GovernanceEventKinds.vote, { id, submitter, vote });
  },
});
