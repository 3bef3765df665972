/**
 * Executor committee elections per runtime (oasis-core `shuffle.go`, non-VRF path with our beacon
 * permutation): eligible nodes are usable compute nodes registered for the runtime's deployment in effect,
 * not suspended for liveness faults, within the runtime's per-entity cap and validator-set constraint;
 * a committee forms only when the pool meets the group sizes and `min_pool_size`, otherwise the runtime
 * has no committee this epoch.
 */
import { bytesEqual, toHex } from '../../codec/bytes.ts';
import { NodeRoles } from '../registry/api/node.ts';
import { activeDeployment, type Runtime, versionKey } from '../registry/api/runtime.ts';
import { isSuspended } from '../registry/faults.ts';
import { type Committee, CommitteeKind } from './api/committee.ts';
import { CommitteeRole, electExecutorCommittee } from './election.ts';
import type { ElectionView, UsableNode } from './eligibility.ts';

/** Outcome of one epoch's committee elections. */
export interface CommitteeElection {
  /** Committees formed, by runtime. */
  committees: Committee[];
  /** Runtimes that got no committee. */
  dropped: Uint8Array[];
  /** Entities with a node that passed eligibility filtering (rewarded like elected validators). */
  rewardableEntities: Uint8Array[];
}

function servesDeployment(u: UsableNode, rt: Runtime, epoch: bigint): boolean {
  const active = activeDeployment(rt, epoch);
  if (active === undefined) return false;
  const want = versionKey(active.version);
  return u.node.runtimes.some((r) => bytesEqual(r.id, rt.id) && versionKey(r.version) === want);
}

/** Eligible node IDs for a runtime's executor committee (ascending), after constraints. */
function eligibleFor(
  rt: Runtime,
  usable: readonly UsableNode[],
  epoch: bigint,
  validatorNodes: ReadonlySet<string>,
): UsableNode[] {
  const constraints = rt.constraints.get(CommitteeKind.computeExecutor)?.get(CommitteeRole.worker);
  const perEntity = new Map<string, number>();
  return usable.filter((u) => {
    if ((u.node.roles & NodeRoles.computeWorker) === 0) return false;
    if (!servesDeployment(u, rt, epoch)) return false;
    if (u.status !== undefined && isSuspended(u.status, rt.id, epoch)) return false;
    if (constraints?.validator_set !== undefined && !validatorNodes.has(toHex(u.node.id))) return false;
    const limit = constraints?.max_nodes?.limit;
    if (limit !== undefined) {
      const k = toHex(u.node.entityId);
      const n = perEntity.get(k) ?? 0;
      if (n >= limit) return false;
      perEntity.set(k, n + 1);
    }
    return true;
  });
}

/** Elects every active runtime's executor committee for `view.epoch`. */
export function electCommittees(
  view: ElectionView,
  beacon: Uint8Array,
  validatorNodes: ReadonlySet<string>,
): CommitteeElection {
  const usable = view.usableNodes();
  const out: CommitteeElection = { committees: [], dropped: [], rewardableEntities: [] };
  const rewardable = new Map<string, Uint8Array>();
  for (const rt of view.registry.runtimes()) {
    const eligible = eligibleFor(rt, usable, view.epoch, validatorNodes);
    for (const u of eligible) rewardable.set(toHex(u.node.entityId), u.node.entityId);
    const minPool = rt.constraints
      .get(CommitteeKind.computeExecutor)
      ?.get(CommitteeRole.worker)?.min_pool_size;
    const members = electExecutorCommittee(
      eligible.map((u) => u.node.id),
      {
        groupSize: rt.executor.group_size,
        groupBackupSize: rt.executor.group_backup_size,
        minPoolSize: minPool?.limit ?? 0,
      },
      rt.id,
      beacon,
    );
    if (members === undefined) {
      out.dropped.push(rt.id);
      continue;
    }
    out.committees.push({
      kind: CommitteeKind.computeExecutor,
      members: members.map((m) => ({ role: m.role, public_key: m.publicKey })),
      runtime_id: rt.id,
      valid_for: view.epoch,
    });
  }
  out.rewardableEntities = [...rewardable.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, id]) => id);
  return out;
}
