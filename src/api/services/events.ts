/** `GetEvents`/`WatchEvents` of each service: the events blocks produced, in that service's own client shape. */
import type { AppEvent } from '../../consensus/api/application.ts';
import { ConsensusErrors } from '../../consensus/api/transaction.ts';
import { serviceEvents } from '../events.ts';
import { type ApiMethod, type StreamMethod, type UnaryMethod, unaryMethod } from '../method.ts';
import { heightOf, prunedHeightError } from '../queries.ts';

/** Where block events come from. */
export interface EventSource {
  latestHeight(): number;
  /** Every event of the block at `height` (transactions' and begin/end block's), or undefined if not kept. */
  eventsAt(height: number): AppEvent[] | undefined;
  /** Lowest height still kept (events below it were pruned); absent: nothing is pruned. */
  lastRetainedHeight?(): number;
}

/** `oasis-core.<Service>/GetEvents` for the events of `module`. */
export function getEventsMethod(service: string, module: string, source: EventSource): UnaryMethod {
  return unaryMethod(service, 'GetEvents', async (request) => {
    const height = heightOf(request) || source.latestHeight();
    const events = source.eventsAt(height);
    if (!events) {
      const retained = source.lastRetainedHeight?.() ?? 0;
      if (height < retained) throw prunedHeightError(height, retained);
      throw ConsensusErrors.versionNotFound(`events of height ${height} are not kept`);
    }
    return serviceEvents(events, module, height);
  });
}

/** Events as committed blocks arrive. */
export interface BlockEventSource extends EventSource {
  /** Committed blocks (their heights) until `signal` aborts. */
  watchBlocks(signal: AbortSignal): AsyncIterable<{ height: number }>;
}

/** `oasis-core.<Service>/WatchEvents`: each event of `module` in every block committed from now on. */
export function watchEventsMethod(service: string, module: string, source: BlockEventSource): StreamMethod {
  return {
    service,
    name: 'WatchEvents',
    kind: 'stream',
    public: true,
    handler: async function* (_request, ctx) {
      for await (const b of source.watchBlocks(ctx.signal)) {
        yield* serviceEvents(source.eventsAt(b.height) ?? [], module, b.height);
      }
    },
  };
}

/** GetEvents and WatchEvents of a service's `module`. */
export function eventMethods(service: string, module: string, source: BlockEventSource): ApiMethod[] {
  return [getEventsMethod(service, module, source), watchEventsMethod(service, module, source)];
}
