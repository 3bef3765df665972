/** `GetEvents` of each service: the events a block produced, in that service's own client shape. */
import type { AppEvent } from '../../consensus/api/application.ts';
import { ConsensusErrors } from '../../consensus/api/transaction.ts';
import { serviceEvents } from '../events.ts';
import { type UnaryMethod, unaryMethod } from '../method.ts';
import { heightOf, prunedHeightError } from '../queries.ts';

/** Where block events come from. */
export interface EventSource {
  latestHeight(): number;
  /** Every event of the block at `height` (transactions' and begin/end block's), or undefined if not kept. */
  eventsAt(height: number): AppEvent[] | undefined;
  /** Lowest height still kept (events below it were pruned). */
  lastRetainedHeight(): number;
}

/** `oasis-core.<Service>/GetEvents` for the events of `module`. */
export function getEventsMethod(service: string, module: string, source: EventSource): UnaryMethod {
  return unaryMethod(service, 'GetEvents', async (request) => {
    const height = heightOf(request) || source.latestHeight();
    const events = source.eventsAt(height);
    if (!events) {
      const retained = source.lastRetainedHeight();
      if (height < retained) throw prunedHeightError(height, retained);
      throw ConsensusErrors.versionNotFound(`events of height ${height} are not kept`);
    }
    return serviceEvents(events, module, height);
  });
}
