/**
 * Ending a round (oasis-core `apps/roothash/finalization.go`, `timeout.go`): an agreed round removes the
 * incoming messages it processed from the queue, runs its outgoing messages and becomes a normal block
 * with the scheduler's roots; its results and roots are recorded,
 * wrong-result nodes are slashed and live workers counted; a failed round becomes a RoundFailed block.
 * Either way the next round starts with a fresh pool and no timer.
 */
import { compareBytes, toHex } from '../../codec/bytes.ts';
import type { ServiceContext } from '../mux/context.ts';
import { RegistryStateReader } from '../registry/state.ts';
import { SlashReason } from '../staking/api/params.ts';
import { HeaderType, nextBlock } from './api/block.ts';
import type { ComputeResultsHeader } from './api/commitment.ts';
import type { CommitteeView } from './api/committee.ts';
import { emitRoothash } from './api/events.ts';
import { processedPrefixMatches } from './api/incoming.ts';
import { type CommitmentPool, NO_RANK, type RuntimeState } from './api/runtime_state.ts';
import { type PoolOutcome, processPool } from './pool.ts';
import { executeRuntimeMessages, type ProposalSubmitter } from './runtime_messages.ts';
import { rewardCorrectEntities, slashRuntimeNodes } from './slashing.ts';
import type { RoothashState } from './state.ts';

/** An empty pool for the round after the runtime's last block. */
export function freshPool(rs: RuntimeState): CommitmentPool {
  return {
    round: rs.last_block.header.round + 1n,
    highest_rank: NO_RANK,
    discrepancy: false,
    commitments: [],
  };
}

/** Backup workers get 1.5 × the round timeout (oasis-core's stretch factor 15/10). */
export function discrepancyTimeout(roundTimeout: bigint): bigint {
  return (roundTimeout * 15n) / 10n;
}

function entitiesOf(ctx: ServiceContext, nodeIds: readonly Uint8Array[]): Uint8Array[] {
  const registry = new RegistryStateReader(ctx.state);
  const out = new Map<string, Uint8Array>();
  for (const id of nodeIds) {
    const node = registry.node(id);
    if (node !== undefined) out.set(toHex(node.entityId), node.entityId);
  }
  return [...out.values()].sort(compareBytes);
}

function startNextRound(rs: RuntimeState): void {
  rs.pool = freshPool(rs);
  rs.timeout = 0n;
}

function countLiveness(rs: RuntimeState, view: CommitteeView, live: readonly Uint8Array[]): void {
  const stats = rs.liveness_stats;
  if (stats === undefined) return;
  stats.total_rounds += 1n;
  const liveSet = new Set(live.map(toHex));
  view.workers.forEach((w, i) => {
    while (stats.live_rounds.length <= i) stats.live_rounds.push(0n);
    if (liveSet.has(toHex(w))) stats.live_rounds[i]! += 1n;
  });
}

/**
 * Takes the incoming messages the round processed off the queue (one `in_msg_processed` event each).
 * Returns false, removing nothing, when they are not the queue's head (oasis-core then fails the round;
 * the commit check refuses such a scheduler commitment, so this is the last line of defence).
 */
function dequeueProcessed(ctx: ServiceContext, st: RoothashState, rs: RuntimeState, h: ComputeResultsHeader) {
  const id = rs.runtime.id;
  const processed = st.incomingMessages(id, h.in_msgs_count);
  if (!processedPrefixMatches(processed, h.in_msgs_count, h.in_msgs_hash!)) return false;
  st.dequeueIncomingMessages(id, processed);
  const round = rs.last_block.header.round + 1n;
  for (const m of processed) emitRoothash.inMsgProcessed(ctx, id, round, m);
  return true;
}

/** Finalizes an agreed round into a normal block (or a failed one if its incoming messages are wrong). */
function finalizeRound(
  ctx: ServiceContext,
  st: RoothashState,
  rs: RuntimeState,
  view: CommitteeView,
  agreed: Extract<PoolOutcome['decision'], { kind: 'agreed' }>,
  submit: ProposalSubmitter,
): void {
  const id = rs.runtime.id;
  const h = agreed.commitment.header.header;
  if (!dequeueProcessed(ctx, st, rs, h)) {
    failRound(ctx, rs, view);
    return;
  }
  const results = executeRuntimeMessages(ctx, id, agreed.commitment.messages, submit);
  for (const r of results) emitRoothash.message(ctx, id, r);
  const block = nextBlock(rs.last_block, ctx.block.time, HeaderType.normal, {
    io_root: h.io_root!,
    state_root: h.state_root!,
    messages_hash: h.messages_hash!,
    in_msgs_hash: h.in_msgs_hash!,
  });
  rs.last_block = block;
  rs.last_block_height = BigInt(ctx.height);
  rs.last_normal_round = block.header.round;
  rs.last_normal_height = BigInt(ctx.height);
  const good = entitiesOf(ctx, agreed.good);
  const bad = entitiesOf(ctx, agreed.bad);
  const slashed = slashRuntimeNodes(ctx, rs.runtime, SlashReason.runtimeIncorrectResults, agreed.bad);
  const badSet = new Set(bad.map(toHex));
  const rewarded = good.filter((e) => !badSet.has(toHex(e)));
  rewardCorrectEntities(ctx, rs.runtime, slashed, rewarded);
  countLiveness(rs, view, agreed.good);
  st.setLastRoundResults(id, { messages: results, good_compute_entities: good, bad_compute_entities: bad });
  st.addRoundRoots(
    id,
    block.header.round,
    [block.header.state_root, block.header.io_root],
    st.parameters().max_past_roots_stored,
  );
  startNextRound(rs);
  emitRoothash.finalized(ctx, id, block.header.round);
}

/** Ends the round with a RoundFailed block (state root unchanged). */
export function failRound(ctx: ServiceContext, rs: RuntimeState, view?: CommitteeView): void {
  rs.last_block = nextBlock(rs.last_block, ctx.block.time, HeaderType.roundFailed);
  rs.last_block_height = BigInt(ctx.height);
  if (view !== undefined) countLiveness(rs, view, []);
  startNextRound(rs);
  emitRoothash.finalized(ctx, rs.runtime.id, rs.last_block.header.round);
}

/**
 * Runs the pool's decision for `rs` (after a commit or at its timeout) and stores the runtime state:
 * a new discrepancy re-arms the timer for the backups, an agreement finalizes, a failure fails the round.
 */
export function decideRound(
  ctx: ServiceContext,
  st: RoothashState,
  rs: RuntimeState,
  view: CommitteeView,
  timedOut: boolean,
  submit: ProposalSubmitter,
): void {
  const pool = rs.pool!;
  const outcome = processPool(pool, view, rs.runtime.executor.allowed_stragglers, timedOut);
  if (outcome.discrepancyDetected) {
    emitRoothash.executionDiscrepancy(ctx, rs.runtime.id, pool.highest_rank, timedOut);
    rs.timeout = BigInt(ctx.height) + discrepancyTimeout(rs.runtime.executor.round_timeout);
  }
  const d = outcome.decision;
  if (d.kind === 'agreed') finalizeRound(ctx, st, rs, view, d, submit);
  else if (d.kind === 'failed') failRound(ctx, rs, view);
  st.setRuntimeState(rs);
}
