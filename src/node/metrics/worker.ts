/**
 * oasis-node's compute worker metrics for the runtimes a node hosts, read from the latest consensus state
 * when Prometheus scrapes: the epoch the worker sees (`oasis_worker_epoch_number`) and whether the node is
 * in the runtime's executor committee as a worker or a backup (`oasis_worker_executor_is_worker`,
 * `oasis_worker_executor_is_backup_worker`).
 */
import { Gauge, type Registry } from 'prom-client';
import { bytesEqual, fromHex } from '../../codec/bytes.ts';
import { getEpoch } from '../../services/beacon/api/queries.ts';
import { CommitteeRoleNames } from '../../services/registry/api/runtime.ts';
import { CommitteeKind } from '../../services/scheduler/api/committee.ts';
import { SchedulerStateReader } from '../../services/scheduler/state.ts';
import type { StateReader } from '../../state/api.ts';

/** What the worker gauges read. */
export interface WorkerMetricsSources {
  /** The node's identity (node) key, as committees list their members. */
  nodeId: Uint8Array;
  /** Hosted runtime IDs (hex). */
  runtimes: readonly string[];
  /** The latest committed state, or undefined before the first block. */
  latestState: () => StateReader | undefined;
}

/** Registers the worker gauges (none when the node hosts no runtime). */
export function registerWorkerMetrics(registry: Registry, sources: WorkerMetricsSources): void {
  if (sources.runtimes.length === 0) return;
  const registers = [registry];
  const labelNames = ['runtime'];
  // One read of the state sets all three gauges: the collector sits on the first one registered, so it runs
  // before any of them is written out.
  const epoch: Gauge = new Gauge({
    name: 'oasis_worker_epoch_number',
    help: 'Current epoch number as seen by the worker.',
    labelNames,
    registers,
    collect() {
      const state = sources.latestState();
      if (state === undefined) return;
      const scheduler = new SchedulerStateReader(state);
      const current = Number(getEpoch(state));
      for (const runtime of sources.runtimes) {
        const committee = scheduler.committee(CommitteeKind.computeExecutor, fromHex(runtime));
        const role = committee?.members.find((m) => bytesEqual(m.public_key, sources.nodeId))?.role;
        epoch.set({ runtime }, current);
        isWorker.set({ runtime }, role === CommitteeRoleNames.worker ? 1 : 0);
        isBackup.set({ runtime }, role === CommitteeRoleNames['backup-worker'] ? 1 : 0);
      }
    },
  });
  const isWorker = new Gauge({
    name: 'oasis_worker_executor_is_worker',
    help: '1 if worker is currently an executor worker, 0 otherwise.',
    labelNames,
    registers,
  });
  const isBackup = new Gauge({
    name: 'oasis_worker_executor_is_backup_worker',
    help: '1 if worker is currently an executor backup worker, 0 otherwise.',
    labelNames,
    registers,
  });
}
