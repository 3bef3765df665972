/**
 * The Registry and Scheduler streams: entity, node and runtime registrations as their events happen, the
 * node list at each epoch, and the committees after each election.
 */
import { RegistryEventKinds } from '../../services/registry/api/events.ts';
import { RegistryQueries as R } from '../../services/registry/api/queries.ts';
import { SchedulerEventKinds } from '../../services/scheduler/api/events.ts';
import { SchedulerQueries as S } from '../../services/scheduler/api/queries.ts';
import type { ApiMethod } from '../method.ts';
import { eventMethods } from './events.ts';
import { type ChainSource, eventValues, perBlock, streamMethod } from './watch.ts';

const REGISTRY = 'oasis-core.Registry';
const SCHEDULER = 'oasis-core.Scheduler';

/** Registry GetEvents and its five Watch streams, and `Scheduler.WatchCommittees`. */
export function registryWatchMethods(source: ChainSource): ApiMethod[] {
  const onEvent = (name: string, kind: string, pick: (v: Record<string, unknown>) => unknown) =>
    streamMethod(REGISTRY, name, (_r, ctx) =>
      perBlock(source, ctx.signal, (b) =>
        eventValues(b.events, 'registry', kind).map((v) => pick(v as Record<string, unknown>)),
      ),
    );
  return [
    ...eventMethods(REGISTRY, 'registry', source),
    onEvent('WatchEntities', RegistryEventKinds.entity, (v) => v),
    onEvent('WatchNodes', RegistryEventKinds.node, (v) => v),
    onEvent('WatchRuntimes', RegistryEventKinds.runtimeStarted, (v) => v.runtime),
    streamMethod(REGISTRY, 'WatchNodeList', (_r, ctx) =>
      perBlock(source, ctx.signal, (b) =>
        eventValues(b.events, 'registry', RegistryEventKinds.nodeListEpoch).length > 0
          ? [{ nodes: R.getNodes(b.state) }]
          : [],
      ),
    ),
    streamMethod(SCHEDULER, 'WatchCommittees', (_r, ctx) =>
      perBlock(source, ctx.signal, (b) =>
        eventValues(b.events, 'scheduler', SchedulerEventKinds.elected).length > 0
          ? S.allCommittees(b.state)
          : [],
      ),
    ),
  ];
}
