/**
 * The roothash's reading of an executor committee: its workers in scheduling order and its backups, and
 * which worker schedules a round. Public because the executor of every compute node must rank itself
 * exactly as the roothash ranks its commitments.
 */
import { bytesEqual } from '../../../codec/bytes.ts';
import type { Committee } from '../../scheduler/api/committee.ts';

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
