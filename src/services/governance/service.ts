/**
 * The governance consensus service (`300_governance`): proposals and votes as transactions; at the first
 * block of an epoch, BeginBlock drops the pending upgrades of that epoch (a node executing that block has
 * applied them: the upgrade manager's hook, run before every service, stops a node that cannot) and
 * EndBlock closes the proposals whose voting period ends —
 * after the scheduler (`200_`) installed the new epoch's validators, who are the electorate.
 */
import type { CborValue } from '../../codec/cbor.ts';
import type { StateReader } from '../../state/api.ts';
import type { ServiceContext } from '../mux/context.ts';
import type { ParameterChangeHandler } from '../mux/parameter_changes.ts';
import type { ConsensusService, GenesisSections } from '../mux/service.ts';
import { GOVERNANCE_MODULE, GovernanceErrors } from './api/errors.ts';
import type { GovernanceGenesis } from './api/genesis.ts';
import { GovernanceBodies, GovernanceMethods } from './api/methods.ts';
import type { Proposal, ProposalContent } from './api/proposal.ts';
import { closeProposalsAtEpoch } from './closing.ts';
import { loadGovernanceGenesis } from './genesis.ts';
import { governanceParameterChanges } from './parameter_changes.ts';
import { checkGovernanceInvariants } from './sanity.ts';
import { GovernanceState } from './state.ts';
import { castVote } from './tx/cast_vote.ts';
import { type ParameterChangeLookup, submitProposal } from './tx/submit_proposal.ts';

/** oasis-core's app name and CheckTx priority. */
export const GOVERNANCE_APP_NAME = '300_governance';
export const GOVERNANCE_APP_PRIORITY = 25000n;

/** The governance consensus service. */
export class GovernanceService implements ConsensusService {
  readonly name = GOVERNANCE_APP_NAME;
  readonly module = GOVERNANCE_MODULE;
  readonly priority = GOVERNANCE_APP_PRIORITY;
  readonly methods: readonly string[] = Object.values(GovernanceMethods);
  readonly #changes: ParameterChangeLookup;

  /** `changes`: the other services' parameter-change handlers (governance adds its own). */
  constructor(changes: readonly ParameterChangeHandler[] = []) {
    const byModule = new Map<string, ParameterChangeHandler>();
    for (const h of [...changes, governanceParameterChanges]) {
      if (byModule.has(h.module))
        throw new Error(`governance: two parameter-change handlers for ${h.module}`);
      byModule.set(h.module, h);
    }
    this.#changes = (module) => byModule.get(module);
  }

  /** `governance.SubmitProposal` by another caller (a runtime's message), with every module's validation. */
  submitProposal(ctx: ServiceContext, content: ProposalContent): Proposal | undefined {
    return submitProposal(ctx, content, this.#changes);
  }

  initChain(ctx: ServiceContext, genesis: GenesisSections): undefined {
    const g = genesis.governance as GovernanceGenesis | undefined;
    if (g === undefined) throw new Error('governance: genesis has no governance section');
    loadGovernanceGenesis(ctx, g);
    return undefined;
  }

  executeTx(ctx: ServiceContext, method: string, body: CborValue | undefined): void {
    if (method === GovernanceMethods.submitProposal)
      submitProposal(ctx, GovernanceBodies.submitProposal(body), this.#changes);
    else if (method === GovernanceMethods.castVote) castVote(ctx, GovernanceBodies.castVote(body));
    else throw GovernanceErrors.invalidArgument();
  }

  beginBlock(ctx: ServiceContext): void {
    if (!ctx.epochChanged()) return;
    const epoch = ctx.currentEpoch();
    const gov = new GovernanceState(ctx.state);
    for (const p of gov.pendingUpgradeProposals()) {
      if (p.content.upgrade!.epoch === epoch) gov.removePendingUpgrade(epoch, p.id);
    }
  }

  endBlock(ctx: ServiceContext): undefined {
    if (ctx.epochChanged()) closeProposalsAtEpoch(ctx, this.#changes);
    return undefined;
  }

  sanityCheck(state: StateReader): void {
    checkGovernanceInvariants(state);
  }
}
