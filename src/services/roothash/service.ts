/**
 * The roothash consensus service (`999_roothash`, last in every block): runtime blocks and rounds.
 * Genesis and newly registered compute runtimes get genesis blocks; committee elections bring
 * EpochTransition (or Suspended) blocks; `roothash.ExecutorCommit` feeds the commitment pool,
 * `roothash.Evidence` punishes executor equivocation, `roothash.SubmitMsg` queues incoming runtime
 * messages; EndBlock
 * fires due round timeouts (discrepancy resolution or RoundFailed).
 */
import type { CborValue } from '../../codec/cbor.ts';
import type { StateReader } from '../../state/api.ts';
import { submitProposal } from '../governance/tx/submit_proposal.ts';
import type { ServiceContext } from '../mux/context.ts';
import type { ConsensusService, GenesisSections } from '../mux/service.ts';
import { CommitteeKind } from '../scheduler/api/committee.ts';
import { SCHEDULER_MODULE } from '../scheduler/api/errors.ts';
import { SchedulerEventKinds } from '../scheduler/api/events.ts';
import { SchedulerStateReader } from '../scheduler/state.ts';
import { committeeView } from './api/committee.ts';
import { ROOTHASH_MODULE, RoothashErrors } from './api/errors.ts';
import type { RoothashGenesis } from './api/genesis.ts';
import { RoothashMethods } from './api/methods.ts';
import { addNewRuntimes, onCommitteesElected } from './epoch.ts';
import { loadRoothashGenesis } from './genesis.ts';
import { decideRound, failRound } from './rounds.ts';
import type { ProposalSubmitter } from './runtime_messages.ts';
import { checkRoothashInvariants } from './sanity.ts';
import { RoothashState } from './state.ts';
import { executorCommit } from './tx/commit.ts';
import { submitEvidence } from './tx/evidence.ts';
import { submitMsg } from './tx/submit_msg.ts';

/** oasis-core's app name (ordering prefix 999: after the scheduler elected committees). */
export const ROOTHASH_APP_NAME = '999_roothash';
/** oasis-core's CheckTx priority for roothash transactions. */
export const ROOTHASH_APP_PRIORITY = 15_000n;

/** The roothash consensus service. */
export class RoothashService implements ConsensusService {
  readonly name = ROOTHASH_APP_NAME;
  readonly module = ROOTHASH_MODULE;
  readonly priority = ROOTHASH_APP_PRIORITY;
  readonly methods: readonly string[] = [
    RoothashMethods.executorCommit,
    RoothashMethods.evidence,
    RoothashMethods.submitMsg,
  ];
  readonly #chainContext: string;
  readonly #submit: ProposalSubmitter;

  /**
   * `chainContext` binds the executor commitment signatures it verifies; `submit` is governance's
   * proposal submission, for runtime governance messages (by default governance alone validates, so a
   * parameter change of any module is refused).
   */
  constructor(chainContext: string, submit?: ProposalSubmitter) {
    this.#chainContext = chainContext;
    this.#submit = submit ?? ((ctx, content) => submitProposal(ctx, content, () => undefined));
  }

  /** Stores `genesis.roothash.params` and gives every registered runtime its genesis block. */
  initChain(ctx: ServiceContext, genesis: GenesisSections): void {
    const g = genesis.roothash as RoothashGenesis | undefined;
    if (g === undefined) throw new Error('roothash: genesis has no roothash section');
    loadRoothashGenesis(ctx, g);
  }

  /** After the scheduler's elections in this BeginBlock: liveness and epoch transition blocks. */
  beginBlock(ctx: ServiceContext): void {
    const elected = ctx.events.some(
      (e) => e.module === SCHEDULER_MODULE && e.kind === SchedulerEventKinds.elected,
    );
    if (!elected) return;
    const st = new RoothashState(ctx.state);
    addNewRuntimes(ctx, st);
    onCommitteesElected(ctx, st);
  }

  executeTx(ctx: ServiceContext, method: string, body: CborValue | undefined): void {
    if (method === RoothashMethods.executorCommit)
      executorCommit(ctx, this.#chainContext, body, this.#submit);
    else if (method === RoothashMethods.evidence) submitEvidence(ctx, this.#chainContext, body);
    else if (method === RoothashMethods.submitMsg) submitMsg(ctx, body);
    else throw RoothashErrors.invalidArgument();
  }

  sanityCheck(state: StateReader): void {
    checkRoothashInvariants(state);
  }

  /** Picks up runtimes registered in this block, then fires due round timeouts. */
  endBlock(ctx: ServiceContext): void {
    const st = new RoothashState(ctx.state);
    addNewRuntimes(ctx, st);
    const scheduler = new SchedulerStateReader(ctx.state);
    for (const [, id] of st.dueTimeouts(ctx.height)) {
      const rs = st.runtimeState(id);
      if (rs === undefined || rs.pool === undefined || rs.timeout === 0n || rs.timeout > BigInt(ctx.height))
        continue;
      rs.timeout = 0n;
      const committee = scheduler.committee(CommitteeKind.computeExecutor, id);
      if (committee === undefined) {
        failRound(ctx, rs);
        st.setRuntimeState(rs);
        continue;
      }
      decideRound(ctx, st, rs, committeeView(committee), true, this.#submit);
    }
  }
}
