/**
 * The simulator's virtual clock and event queue: events run in (time, insertion) order, so a run is a pure
 * function of its seed. Each event names the node it concerns, letting the runner wait for exactly that
 * node's asynchronous processing before the next event.
 */
import type { Clock } from '../bft/host.ts';

interface SimEvent {
  time: number;
  seq: number;
  node: string | null;
  fn: () => void;
  cancelled: boolean;
}

/** Min-heap of events with a virtual clock. */
export class VirtualScheduler {
  #now: number;
  #seq = 0;
  readonly #heap: SimEvent[] = [];

  constructor(startTime: number) {
    this.#now = startTime;
  }

  /** Current virtual time, unix milliseconds. */
  now(): number {
    return this.#now;
  }

  /** Number of pending events. */
  get pending(): number {
    return this.#heap.length;
  }

  /** Schedules `fn` at now + `delayMs` for `node`; returns a cancel function. */
  at(delayMs: number, node: string | null, fn: () => void): () => void {
    const ev: SimEvent = {
      time: this.#now + Math.max(0, delayMs),
      seq: this.#seq++,
      node,
      fn,
      cancelled: false,
    };
    this.#push(ev);
    return () => {
      ev.cancelled = true;
    };
  }

  /** A `Clock` for one node's driver, whose wall clock is off by `skewMs` (timers are not affected). */
  clockFor(node: string, skewMs = 0): Clock {
    return {
      now: () => this.#now + skewMs,
      schedule: (delayMs, fn) => this.at(delayMs, node, fn),
    };
  }

  /** Runs the next event; returns its node (or null), or undefined when the queue is empty. */
  step(): { node: string | null } | undefined {
    for (;;) {
      const ev = this.#pop();
      if (ev === undefined) return undefined;
      if (ev.cancelled) continue;
      this.#now = ev.time;
      ev.fn();
      return { node: ev.node };
    }
  }

  /** Time of the next live event, or undefined. */
  peekTime(): number | undefined {
    while (this.#heap.length > 0 && this.#heap[0]!.cancelled) this.#pop();
    return this.#heap[0]?.time;
  }

  #less(a: SimEvent, b: SimEvent): boolean {
    return a.time < b.time || (a.time === b.time && a.seq < b.seq);
  }

  #push(ev: SimEvent): void {
    const h = this.#heap;
    h.push(ev);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.#less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  #pop(): SimEvent | undefined {
    const h = this.#heap;
    if (h.length === 0) return undefined;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.#less(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.#less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}
