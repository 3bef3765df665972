/**
 * Server streams (WatchBlocks and the like) are fed by callbacks; this turns a callback subscription into
 * an async iterable that yields every item in order and ends, unsubscribing, once the caller goes away.
 */

/** Items pushed through `subscribe`'s callback, until `signal` aborts; `subscribe` returns the unsubscribe. */
export async function* subscriptionStream<T>(
  subscribe: (push: (item: T) => void) => () => void,
  signal: AbortSignal,
): AsyncIterable<T> {
  const queue: T[] = [];
  let wake: (() => void) | undefined;
  const unsubscribe = subscribe((item) => {
    queue.push(item);
    wake?.();
  });
  const onAbort = () => wake?.();
  signal.addEventListener('abort', onAbort);
  try {
    while (!signal.aborted) {
      if (queue.length === 0) await new Promise<void>((r) => (wake = r));
      wake = undefined;
      while (queue.length > 0 && !signal.aborted) yield queue.shift()!;
    }
  } finally {
    unsubscribe();
    signal.removeEventListener('abort', onAbort);
  }
}
