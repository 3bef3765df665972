/**
 * Runtime lifecycle in the roothash (oasis-core `apps/roothash/roothash.go` `onCommitteeChanged`,
 * `onNewRuntime`, `liveness.go`): a compute runtime the registry knows gets a genesis block; whenever
 * committees are (re-)elected each runtime's workers are judged on the epoch's liveness, and the runtime
 * gets an EpochTransition block and a fresh pool when it has a committee (and its owner's stake), or a
 * Suspended block and registry suspension when not.
 */
import { bytesEqual, toHex } from '../../codec/bytes.ts';
import { addressFromPublicKey } from '../../crypto/address.ts';
import type { ServiceContext } from '../mux/context.ts';
import { GovernanceModel, type Runtime, RuntimeKind } from '../registry/api/runtime.ts';
import { recordFailure, recordSuccess } from '../registry/faults.ts';
import { RegistryState, RegistryStateReader } from '../registry/state.ts';
import { suspendRuntime } from '../registry/suspension.ts';
import { CommitteeKind } from '../scheduler/api/committee.ts';
import { SchedulerStateReader } from '../scheduler/state.ts';
import { SlashReason } from '../staking/api/params.ts';
import { checkStakeClaims } from '../staking/claims.ts';
import { StakingStateReader } from '../staking/state.ts';
import { genesisBlock, HeaderType, nextBlock } from './api/block.ts';
import { committeeView } from './api/committee.ts';
import type { RuntimeState } from './api/runtime_state.ts';
import { freshPool } from './rounds.ts';
import { slashRuntimeNodes } from './slashing.ts';
import type { RoothashState } from './state.ts';

/** The roothash state of a runtime that has just been registered. */
function genesisState(
  ctx: ServiceContext,
  rt: Runtime,
  suspended: boolean,
  start: { round: bigint; state_root: Uint8Array } = rt.genesis,
): RuntimeState {
  const block = genesisBlock(rt.id, start.round, start.state_root, ctx.block.time);
  return {
    runtime: rt,
    suspended,
    genesis_block: block,
    last_block: block,
    last_block_height: BigInt(ctx.height),
    last_normal_round: start.round,
    last_normal_height: BigInt(ctx.height),
    pool: undefined,
    timeout: 0n,
    liveness_stats: undefined,
    liveness_workers: undefined,
  };
}

/** Where a runtime starts: a genesis dump's round and state root, else its descriptor's genesis. */
export type RuntimeStarts = ReadonlyMap<string, { round: bigint; state_root: Uint8Array }>;

/** Creates the state of every registered compute runtime the roothash does not know yet. */
export function addNewRuntimes(
  ctx: ServiceContext,
  st: RoothashState,
  starts: RuntimeStarts = new Map(),
): void {
  const registry = new RegistryStateReader(ctx.state);
  const unknown = (rt: Runtime) => rt.kind === RuntimeKind.compute && !st.hasRuntimeState(rt.id);
  const add = (rt: Runtime, suspended: boolean) =>
    st.setRuntimeState(genesisState(ctx, rt, suspended, starts.get(toHex(rt.id))));
  for (const rt of registry.runtimes()) if (unknown(rt)) add(rt, false);
  for (const rt of registry.suspendedRuntimes()) if (unknown(rt)) add(rt, true);
}

/**
 * Judges last epoch's workers (oasis-core `processLivenessStatistics`): a worker live in at least
 * `min_live_rounds_percent` of the rounds is forgiven a fault, otherwise it gets one (suspending it from
 * the runtime's committees); at `max_liveness_fails` faults it is slashed for `runtime-liveness`.
 */
function judgeLiveness(ctx: ServiceContext, rs: RuntimeState): void {
  const stats = rs.liveness_stats;
  const workers = rs.liveness_workers;
  const ex = rs.runtime.executor;
  if (stats === undefined || workers === undefined || stats.total_rounds < ex.min_live_rounds_eval) return;
  if (stats.total_rounds === 0n) return;
  const minLive = (stats.total_rounds * BigInt(ex.min_live_rounds_percent)) / 100n;
  const registry = new RegistryState(ctx.state);
  const epoch = ctx.currentEpoch();
  const toSlash: Uint8Array[] = [];
  workers.forEach((id, i) => {
    if (registry.node(id) === undefined) return;
    const status = registry.nodeStatusOrEmpty(id);
    if ((stats.live_rounds[i] ?? 0n) >= minLive) recordSuccess(status, rs.runtime.id, epoch);
    else recordFailure(status, rs.runtime.id, epoch);
    registry.setNodeStatus(id, status);
    const fault = [...status.faults].find(([k]) => bytesEqual(k, rs.runtime.id))?.[1];
    if (ex.max_liveness_fails > 0 && fault !== undefined && fault.failures >= ex.max_liveness_fails) {
      toSlash.push(id);
    }
  });
  slashRuntimeNodes(ctx, rs.runtime, SlashReason.runtimeLiveness, toSlash);
}

/**
 * True when the runtime's owner still backs its stake claims (oasis-core skips the check for
 * consensus-governed runtimes and under `debug_bypass_stake`).
 */
function ownerStakeSufficient(ctx: ServiceContext, rt: Runtime, bypass: boolean): boolean {
  if (bypass || rt.governance_model === GovernanceModel.consensus) return true;
  try {
    checkStakeClaims(new StakingStateReader(ctx.state), addressFromPublicKey(rt.entity_id));
    return true;
  } catch {
    return false;
  }
}

/** Ends the runtime's rounds until it has a committee again: a Suspended block, no pool. */
function suspend(ctx: ServiceContext, rs: RuntimeState, inRegistry: boolean): void {
  if (inRegistry) suspendRuntime(ctx, rs.runtime.id);
  if (!rs.suspended) {
    rs.last_block = nextBlock(rs.last_block, ctx.block.time, HeaderType.suspended);
    rs.last_block_height = BigInt(ctx.height);
  }
  rs.suspended = true;
  rs.pool = undefined;
  rs.liveness_stats = undefined;
  rs.liveness_workers = undefined;
}

/**
 * After committee elections: judges liveness, then per runtime an EpochTransition block and a fresh pool
 * when it has a committee and its owner's stake, otherwise a Suspended block — and, unless
 * `debug_do_not_suspend_runtimes`, suspension in the registry (a node registering resumes it).
 */
export function onCommitteesElected(ctx: ServiceContext, st: RoothashState): void {
  const params = st.parameters();
  const registry = new RegistryStateReader(ctx.state);
  const scheduler = new SchedulerStateReader(ctx.state);
  for (const rs of [...st.runtimeStates()]) {
    judgeLiveness(ctx, rs);
    const active = registry.runtime(rs.runtime.id);
    rs.runtime = active ?? registry.suspendedRuntime(rs.runtime.id) ?? rs.runtime;
    const committee =
      active === undefined ? undefined : scheduler.committee(CommitteeKind.computeExecutor, rs.runtime.id);
    rs.timeout = 0n;
    const funded =
      committee !== undefined && ownerStakeSufficient(ctx, rs.runtime, params.debug_bypass_stake);
    if (committee === undefined || !funded) {
      suspend(ctx, rs, active !== undefined && !params.debug_do_not_suspend_runtimes);
    } else {
      rs.last_block = nextBlock(rs.last_block, ctx.block.time, HeaderType.epochTransition);
      rs.last_block_height = BigInt(ctx.height);
      rs.suspended = false;
      rs.pool = freshPool(rs);
      const workers = committeeView(committee).workers;
      rs.liveness_stats = { total_rounds: 0n, live_rounds: workers.map(() => 0n) };
      rs.liveness_workers = workers;
    }
    st.setRuntimeState(rs);
  }
}
