/**
 * Keeps an EVM ParaTime's Ethereum index up to date from the node's runtime history: every new runtime
 * block brings the index up to it, round by round in order (a round the node never recorded is skipped),
 * so after a restart it resumes where the index ends. Rounds are indexed one at a time on one queue.
 */
import { ROUND_LATEST, type RuntimeClientBackend } from '../client/api.ts';
import type { RoundConverter } from './round_block.ts';
import type { EthIndexStore } from './store.ts';

/** What the indexer follows and feeds. */
export interface EthIndexerOptions {
  runtimeId: Uint8Array;
  runtimes: RuntimeClientBackend;
  store: EthIndexStore;
  converter: RoundConverter;
  warn(message: string, fields: Record<string, unknown>): void;
}

/** Follows one runtime's blocks into its Ethereum index. */
export class EthIndexer {
  readonly #o: EthIndexerOptions;
  #queue: Promise<void> = Promise.resolve();
  #unwatch: (() => void) | undefined;
  #closed = false;

  constructor(o: EthIndexerOptions) {
    this.#o = o;
  }

  /** Starts following: indexes what the history already holds, then each new block. */
  start(): void {
    const { runtimes, runtimeId } = this.#o;
    this.#unwatch = runtimes.watchBlocks(runtimeId, (b) => this.#enqueue(b.block.header.round));
    try {
      this.#enqueue(runtimes.block(runtimeId, ROUND_LATEST).header.round);
    } catch {
      // Not synced yet: the first watched block starts the catch-up.
    }
  }

  /** Resolves once every round handed to the indexer so far is indexed. */
  idle(): Promise<void> {
    return this.#queue;
  }

  /** Stops following (the round in progress completes). */
  async stop(): Promise<void> {
    this.#closed = true;
    this.#unwatch?.();
    await this.#queue;
  }

  #enqueue(target: bigint): void {
    this.#queue = this.#queue.then(async () => {
      try {
        await this.#catchUp(target);
      } catch (err) {
        this.#o.warn('Ethereum indexing failed', { err: (err as Error).message, round: target });
      }
    });
  }

  async #catchUp(target: bigint): Promise<void> {
    const { runtimes, runtimeId, store, converter } = this.#o;
    const head = store.head();
    let next = head !== undefined ? head + 1n : this.#firstRound(target);
    for (; next <= target && !this.#closed; next++) {
      let block: ReturnType<RuntimeClientBackend['block']>;
      try {
        block = runtimes.block(runtimeId, next);
      } catch {
        continue; // This node never recorded that round.
      }
      await store.put(converter.convert(block, runtimes.transactions(runtimeId, next)));
    }
  }

  /** Where an empty index starts: the oldest round the node keeps. */
  #firstRound(target: bigint): bigint {
    try {
      return this.#o.runtimes.lastRetainedBlock(this.#o.runtimeId).header.round;
    } catch {
      return target;
    }
  }
}
