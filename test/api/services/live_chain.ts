/**
 * A service test chain served as the API's `ChainSource`: each block run through it is recorded (its
 * events by height) and announced to the watch streams, as the node's chain view does for committed
 * blocks. State is the chain's one working state, answered for every height up to the latest.
 */
import type { ChainSource } from '../../../src/api/services/watch.ts';
import { subscriptionStream } from '../../../src/api/subscription_stream.ts';
import type { AppEvent } from '../../../src/consensus/api/application.ts';
import type { StateReader } from '../../../src/state/api.ts';
import type { BlockOutcome, MuxChain } from '../../services/fixtures/chain.ts';

/** A chain whose blocks the API can query and watch. */
export class LiveChain implements ChainSource {
  readonly #chain: MuxChain;
  readonly #events = new Map<number, AppEvent[]>();
  readonly #listeners = new Set<(b: { height: number }) => void>();

  constructor(chain: MuxChain) {
    this.#chain = chain;
  }

  /** Runs a block on the chain, records its events and announces it. */
  block(txs: Uint8Array[] = []): BlockOutcome {
    const height = this.#chain.height;
    const out = this.#chain.runBlock(txs);
    this.#events.set(height, [...out.results.flatMap((r) => r.events), ...out.events]);
    for (const l of this.#listeners) l({ height });
    return out;
  }

  latestHeight(): number {
    return this.#chain.height - 1;
  }
  stateAt(height: number): StateReader {
    if (height > this.latestHeight()) throw new Error('not committed');
    return this.#chain.state;
  }
  eventsAt(height: number): AppEvent[] | undefined {
    return this.#events.get(height);
  }
  watchBlocks(signal: AbortSignal): AsyncIterable<{ height: number }> {
    return subscriptionStream((push) => {
      this.#listeners.add(push);
      return () => this.#listeners.delete(push);
    }, signal);
  }
  /** Open watch subscriptions (a stream that ended must have unsubscribed). */
  get watchers(): number {
    return this.#listeners.size;
  }
}
