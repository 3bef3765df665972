/**
 * The commitment pool's decision (oasis-core `commitment/pool.go`), pure: given the round's commitments
 * and the committee, is the round still waiting, agreed (finalize with the scheduler's results), in
 * discrepancy (backups must recompute), or failed. Only commitments for the best-ranked scheduler seen
 * count. Detection: workers disagree, or more failures than `allowed_stragglers` → discrepancy; success
 * needs the scheduler's own commitment and (workers − stragglers) matching votes. Resolution: a majority
 * (⌊backups/2⌋ + 1) of backup workers must agree with the scheduler's commitment; a backup that is also a
 * worker does not count (it would be judging its own result), so such a committee fails the round rather
 * than let one node decide.
 */
import { bytesEqual, toHex } from '../../codec/bytes.ts';
import type { Committee } from '../scheduler/api/committee.ts';
import { commitmentVote, type ExecutorCommitment, isFailureIndicating } from './api/commitment.ts';
import type { CommitmentPool } from './api/runtime_state.ts';

/** Committee roles (`scheduler.Role`). */
export const Role = Object.freeze({ worker: 1, backupWorker: 2 });

/** A committee split into its workers (scheduling order) and backup workers. */
export interface CommitteeView {
  workers: Uint8Array[];
  backups: Uint8Array[];
}

/** The workers and backups of an executor committee. */
export function committeeView(c: Committee): CommitteeView {
  const of = (role: number) => c.members.filter((m) => m.role === role).map((m) => m.public_key);
  return { workers: of(Role.worker), backups: of(Role.backupWorker) };
}

/**
 * The scheduler rank of worker `id` in `round` (oasis-core `Committee.SchedulerRank`): rank 0 is worker
 * `round mod n`, the others follow in order. Undefined when `id` is not a worker.
 */
export function schedulerRank(view: CommitteeView, round: bigint, id: Uint8Array): bigint | undefined {
  const n = BigInt(view.workers.length);
  const idx = view.workers.findIndex((w) => bytesEqual(w, id));
  if (idx < 0 || n === 0n) return undefined;
  return (BigInt(idx) + n - (round % n)) % n;
}

/** What the pool decided. */
export type PoolDecision =
  | { kind: 'waiting' }
  | { kind: 'failed' }
  | {
      kind: 'agreed';
      /** The scheduler's commitment, whose results become the block. */
      commitment: ExecutorCommitment;
      /** Nodes whose results matched. */
      good: Uint8Array[];
      /** Nodes that committed different (non-failure) results. */
      bad: Uint8Array[];
    };

/** The pool's decision plus whether this call switched it into discrepancy resolution. */
export interface PoolOutcome {
  decision: PoolDecision;
  discrepancyDetected: boolean;
}

const has = (list: Uint8Array[], id: Uint8Array) => list.some((x) => bytesEqual(x, id));

/** Commitments for the pool's best scheduler rank. */
function bestRankCommitments(pool: CommitmentPool, view: CommitteeView): ExecutorCommitment[] {
  return pool.commitments.filter(
    (c) => schedulerRank(view, pool.round, c.header.scheduler_id) === pool.highest_rank,
  );
}

function agreed(target: ExecutorCommitment, commits: ExecutorCommitment[]): PoolDecision {
  const vote = commitmentVote(target);
  const good: Uint8Array[] = [];
  const bad: Uint8Array[] = [];
  const seen = new Set<string>();
  for (const c of commits) {
    const key = toHex(c.node_id);
    if (seen.has(key) || isFailureIndicating(c)) continue;
    seen.add(key);
    (commitmentVote(c) === vote ? good : bad).push(c.node_id);
  }
  return { kind: 'agreed', commitment: target, good, bad };
}

/** Discrepancy detection among the primary workers (mutates nothing). */
function detect(
  commits: ExecutorCommitment[],
  view: CommitteeView,
  scheduler: ExecutorCommitment | undefined,
  allowedStragglers: number,
  timeout: boolean,
): PoolDecision | 'discrepancy' {
  const workers = commits.filter((c) => has(view.workers, c.node_id));
  const failures = workers.filter(isFailureIndicating).length;
  const votes = new Map<string, number>();
  for (const c of workers) {
    if (isFailureIndicating(c)) continue;
    const v = commitmentVote(c);
    votes.set(v, (votes.get(v) ?? 0) + 1);
  }
  if (votes.size > 1 || failures > allowedStragglers) return 'discrepancy';
  if (scheduler !== undefined && !isFailureIndicating(scheduler)) {
    const matching = votes.get(commitmentVote(scheduler)) ?? 0;
    if (matching >= view.workers.length - allowedStragglers) return agreed(scheduler, workers);
  }
  if (!timeout) return { kind: 'waiting' };
  if (scheduler === undefined || isFailureIndicating(scheduler)) return { kind: 'failed' };
  return 'discrepancy';
}

/** Discrepancy resolution by the backup workers. */
function resolve(
  commits: ExecutorCommitment[],
  view: CommitteeView,
  scheduler: ExecutorCommitment | undefined,
  timeout: boolean,
): PoolDecision {
  if (scheduler === undefined || isFailureIndicating(scheduler)) {
    return timeout ? { kind: 'failed' } : { kind: 'waiting' };
  }
  const target = commitmentVote(scheduler);
  // A backup that is also a worker already voted in the dispute; its commitment does not settle it.
  const backups = commits.filter((c) => has(view.backups, c.node_id) && !has(view.workers, c.node_id));
  const agreeing = backups.filter((c) => !isFailureIndicating(c) && commitmentVote(c) === target).length;
  const needed = Math.floor(view.backups.length / 2) + 1;
  if (agreeing >= needed) return agreed(scheduler, commits);
  const outstanding = view.backups.filter((b) => !has(view.workers, b)).length - backups.length;
  if (agreeing + outstanding < needed || timeout) return { kind: 'failed' };
  return { kind: 'waiting' };
}

/** Decides the round; switches `pool.discrepancy` on when workers disagree (or at a timeout). */
export function processPool(
  pool: CommitmentPool,
  view: CommitteeView,
  allowedStragglers: number,
  timeout: boolean,
): PoolOutcome {
  const commits = bestRankCommitments(pool, view);
  const scheduler = commits.find((c) => bytesEqual(c.node_id, c.header.scheduler_id));
  let discrepancyDetected = false;
  if (!pool.discrepancy) {
    const d = detect(commits, view, scheduler, allowedStragglers, timeout);
    if (d !== 'discrepancy') return { decision: d, discrepancyDetected };
    pool.discrepancy = true;
    discrepancyDetected = true;
    // The timer is re-armed for the backups; this timeout no longer ends the round.
    timeout = false;
  }
  return { decision: resolve(commits, view, scheduler, timeout), discrepancyDetected };
}
