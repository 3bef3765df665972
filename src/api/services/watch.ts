/**
 * Server streams driven by committed blocks: each stream looks at every block committed after the caller
 * subscribed (its state and events) and sends what the method derives from it. Streams end when the
 * caller goes (the call's signal) and hold a bounded backlog (`subscriptionStream`).
 */
import type { AppEvent } from '../../consensus/api/application.ts';
import type { StateReader } from '../../state/api.ts';
import type { StreamMethod } from '../method.ts';
import { resolveState, type StateByHeight } from '../queries.ts';
import type { BlockEventSource } from './events.ts';

/** What block-driven streams read. */
export interface ChainSource extends StateByHeight, BlockEventSource {}

/** One committed block as a stream sees it. */
export interface WatchedBlock {
  height: number;
  state: StateReader;
  events: AppEvent[];
}

/** A public server-streaming method. */
export function streamMethod(service: string, name: string, handler: StreamMethod['handler']): StreamMethod {
  return { service, name, kind: 'stream', public: true, handler };
}

/** What `fn` makes of each block committed from now on, until `signal` aborts. */
export async function* perBlock<T>(
  source: ChainSource,
  signal: AbortSignal,
  fn: (b: WatchedBlock) => Iterable<T>,
): AsyncIterable<T> {
  for await (const b of source.watchBlocks(signal)) {
    yield* fn({ height: b.height, state: source.stateAt(b.height), events: source.eventsAt(b.height) ?? [] });
  }
}

/** The values of the events of `module` and `kind` in a block. */
export function eventValues(events: readonly AppEvent[], module: string, kind: string): unknown[] {
  return events.filter((e) => e.module === module && e.kind === kind).map((e) => e.value);
}

/** The latest committed state, or undefined before the first block. */
export function latestState(source: StateByHeight): StateReader | undefined {
  return source.latestHeight() === 0 ? undefined : resolveState(source, 0);
}
