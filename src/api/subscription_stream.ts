/**
 * Server streams (WatchBlocks and the like) are fed by callbacks; this turns a callback subscription into
 * an async iterable that yields every item in order and ends, unsubscribing, once the caller goes away.
 * The backlog is bounded: a caller that falls `maxQueued` items behind is cut off with
 * RESOURCE_EXHAUSTED rather than letting one slow connection hold the node's memory.
 */
import { GrpcError, GrpcStatus } from './errors.ts';

/** Items a stream may hold for a caller that has not read them yet. */
export const MAX_QUEUED_STREAM_ITEMS = 1024;

/** Items pushed through `subscribe`'s callback, until `signal` aborts; `subscribe` returns the unsubscribe. */
export async function* subscriptionStream<T>(
  subscribe: (push: (item: T) => void) => () => void,
  signal: AbortSignal,
  maxQueued = MAX_QUEUED_STREAM_ITEMS,
): AsyncIterable<T> {
  const queue: T[] = [];
  let overflow = false;
  let wake: (() => void) | undefined;
  const unsubscribe = subscribe((item) => {
    if (queue.length >= maxQueued) overflow = true;
    else queue.push(item);
    wake?.();
  });
  const onAbort = () => wake?.();
  signal.addEventListener('abort', onAbort);
  try {
    while (!signal.aborted) {
      if (queue.length === 0 && !overflow) await new Promise<void>((r) => (wake = r));
      wake = undefined;
      while (queue.length > 0 && !signal.aborted) yield queue.shift()!;
      if (overflow && !signal.aborted)
        throw new GrpcError(GrpcStatus.resourceExhausted, `stream fell more than ${maxQueued} items behind`);
    }
  } finally {
    unsubscribe();
    signal.removeEventListener('abort', onAbort);
  }
}
