/**
 * `roothash.ExecutorCommit` (oasis-core `apps/roothash/transactions.go` + `commitment/pool.go`
 * `AddVerifiedExecutorCommitment`): every commitment must come from a member of the runtime's executor
 * committee for this epoch, name a worker as scheduler, build on the latest block, carry a valid
 * signature (and, for TEE runtimes, the node's RAK signature over the results) and, from the scheduler,
 * messages within limits that match the committed hash and incoming messages that are the head of the
 * runtime's queue (oasis-core only finds a wrong `in_msgs_hash` at finalization and fails the round;
 * refusing the scheduler's commitment up front keeps the round open for a correct one). Accepted
 * commitments join the pool (the timer re-armed when a better-ranked scheduler shows up), and the pool
 * decides the round. One bad commitment rejects the whole transaction.
 */
import { bytesEqual } from '../../../codec/bytes.ts';
import type { CborValue } from '../../../codec/cbor.ts';
import type { ServiceContext } from '../../mux/context.ts';
import { TeeHardware } from '../../registry/api/runtime.ts';
import { RegistryStateReader } from '../../registry/state.ts';
import { CommitteeKind } from '../../scheduler/api/committee.ts';
import { SchedulerStateReader } from '../../scheduler/state.ts';
import { headerHash } from '../api/block.ts';
import {
  type ExecutorCommitment,
  isFailureIndicating,
  verifyExecutorCommitment,
  verifyRakSignature,
} from '../api/commitment.ts';
import { type CommitteeView, committeeView, schedulerRank } from '../api/committee.ts';
import { CommitmentErrors, RoothashErrors } from '../api/errors.ts';
import { emitRoothash } from '../api/events.ts';
import { processedPrefixMatches } from '../api/incoming.ts';
import { isWellFormedMessage, messagesHash, runtimeMessageCodec } from '../api/messages.ts';
import { decodeExecutorCommitBody } from '../api/methods.ts';
import { gasCostsOf, RoothashGasOps, type RoothashParameters } from '../api/params.ts';
import type { RuntimeState } from '../api/runtime_state.ts';
import { decideRound, freshPool } from '../rounds.ts';
import type { ProposalSubmitter } from '../runtime_messages.ts';
import { RoothashState } from '../state.ts';

const isMember = (view: CommitteeView, id: Uint8Array) =>
  [...view.workers, ...view.backups].some((m) => bytesEqual(m, id));

function checkShape(c: ExecutorCommitment): void {
  const h = c.header.header;
  const roots = [h.io_root, h.state_root, h.messages_hash, h.in_msgs_hash];
  if (isFailureIndicating(c)) {
    const clean =
      roots.every((r) => r === undefined) &&
      h.in_msgs_count === 0 &&
      c.header.rak_sig === undefined &&
      c.messages.length === 0;
    if (!clean) throw CommitmentErrors.badExecutorCommitment('failure-indicating commitment carries results');
  } else if (roots.some((r) => r === undefined)) {
    throw CommitmentErrors.badExecutorCommitment('missing roots');
  }
}

function checkMessages(c: ExecutorCommitment, rs: RuntimeState, params: RoothashParameters): void {
  const isScheduler = bytesEqual(c.node_id, c.header.scheduler_id);
  if (!isScheduler || isFailureIndicating(c)) {
    if (c.messages.length > 0) throw CommitmentErrors.invalidMessages('only the scheduler submits messages');
    return;
  }
  const limit = Math.min(rs.runtime.executor.max_messages, params.max_runtime_messages);
  if (c.messages.length > limit) throw CommitmentErrors.invalidMessages(`more than ${limit} messages`);
  if (!c.messages.every(isWellFormedMessage)) throw CommitmentErrors.invalidMessages('malformed message');
  const hash = messagesHash(c.messages.map((m) => runtimeMessageCodec.encode(m) as CborValue));
  if (!bytesEqual(hash, c.header.header.messages_hash!)) {
    throw CommitmentErrors.invalidMessages('messages do not match the messages hash');
  }
}

/**
 * The scheduler's commitment must have processed the head of the incoming queue: `in_msgs_count`
 * messages at most the queue's size, hashed (`in_msgs_hash`) as the runtime hashes them. Other
 * commitments that differ simply disagree with the scheduler (a discrepancy).
 */
function checkIncomingMessages(c: ExecutorCommitment, rs: RuntimeState, st: RoothashState): void {
  if (!bytesEqual(c.node_id, c.header.scheduler_id) || isFailureIndicating(c)) return;
  const h = c.header.header;
  const queued = st.incomingMessages(rs.runtime.id, h.in_msgs_count);
  if (h.in_msgs_count > queued.length) {
    throw CommitmentErrors.invalidMessages(
      `${h.in_msgs_count} incoming messages processed, ${queued.length} queued`,
    );
  }
  if (!processedPrefixMatches(queued, h.in_msgs_count, h.in_msgs_hash!)) {
    throw CommitmentErrors.invalidMessages('incoming messages do not match the incoming messages hash');
  }
}

/** TEE runtimes: results must be signed by the runtime attestation key the node registered. */
function checkRak(c: ExecutorCommitment, rs: RuntimeState, registry: RegistryStateReader): void {
  if (rs.runtime.tee_hardware === TeeHardware.invalid || isFailureIndicating(c)) return;
  const entry = registry.node(c.node_id)?.runtimes.find((r) => bytesEqual(r.id, rs.runtime.id));
  const rak = entry?.capabilities.tee?.rak;
  if (rak === undefined || !verifyRakSignature(c, rak)) throw CommitmentErrors.rakSigInvalid();
}

/** Verifies one commitment against the runtime, committee and pool (throws a coded error). */
function verifyCommitment(
  c: ExecutorCommitment,
  rs: RuntimeState,
  view: CommitteeView,
  st: RoothashState,
  chainContext: string,
  registry: RegistryStateReader,
): bigint {
  if (!isMember(view, c.node_id)) throw CommitmentErrors.notInCommittee();
  const pool = rs.pool!;
  const rank = schedulerRank(view, pool.round, c.header.scheduler_id);
  if (rank === undefined) throw CommitmentErrors.badExecutorCommitment('scheduler is not a worker');
  const last = rs.last_block.header;
  const h = c.header.header;
  if (h.round !== last.round + 1n || !bytesEqual(h.previous_hash, headerHash(last))) {
    throw CommitmentErrors.notBasedOnCorrectBlock();
  }
  if (!verifyExecutorCommitment(c, rs.runtime.id, chainContext)) {
    throw CommitmentErrors.badExecutorCommitment('signature verification failed');
  }
  checkShape(c);
  checkRak(c, rs, registry);
  checkMessages(c, rs, st.parameters());
  checkIncomingMessages(c, rs, st);
  const duplicate = pool.commitments.some(
    (p) => bytesEqual(p.node_id, c.node_id) && bytesEqual(p.header.scheduler_id, c.header.scheduler_id),
  );
  if (duplicate) throw CommitmentErrors.alreadyCommitted();
  return rank;
}

/** Executes `roothash.ExecutorCommit` (`submit`: governance proposals a finalized round's messages make). */
export function executorCommit(
  ctx: ServiceContext,
  chainContext: string,
  raw: CborValue | undefined,
  submit: ProposalSubmitter,
): void {
  const body = decodeExecutorCommitBody(raw);
  const st = new RoothashState(ctx.state);
  const params = st.parameters();
  ctx.gas.useOp(1n, RoothashGasOps.computeCommit, gasCostsOf(params));
  if (ctx.isCheckOnly || ctx.isSimulation) return;

  const rs = st.runtimeState(body.id);
  if (rs === undefined) throw RoothashErrors.invalidRuntime();
  if (rs.suspended) throw RoothashErrors.runtimeSuspended();
  const committee = new SchedulerStateReader(ctx.state).committee(CommitteeKind.computeExecutor, body.id);
  if (committee === undefined || committee.valid_for !== ctx.currentEpoch())
    throw CommitmentErrors.noCommittee();
  const view = committeeView(committee);
  rs.pool ??= freshPool(rs);
  const pool = rs.pool;
  const registry = new RegistryStateReader(ctx.state);

  for (const c of body.commits) {
    const rank = verifyCommitment(c, rs, view, st, chainContext, registry);
    pool.commitments.push(c);
    if (rank < pool.highest_rank) {
      // A better-ranked scheduler: its commitments start detection afresh with a new timer.
      pool.highest_rank = rank;
      pool.discrepancy = false;
      rs.timeout = BigInt(ctx.height) + rs.runtime.executor.round_timeout;
    }
    emitRoothash.executorCommitted(ctx, body.id, c);
  }
  decideRound(ctx, st, rs, view, false, submit);
}
