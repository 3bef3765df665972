/**
 * Decided blocks, their commits and the chain state after each, as the driver persists them. The interface
 * is what the driver needs; the in-memory store serves the simulator (it survives a simulated crash because
 * the simulator keeps the object, like a disk), an LMDB store will serve the node.
 */
import type { Block } from '../api/block.ts';
import type { Commit } from '../api/commit.ts';
import type { ChainState } from './chain_state.ts';

/** Durable home of decided blocks and the chain state. */
export interface BlockStore {
  /** Highest stored block height (0 when empty). */
  height(): number;
  block(height: number): Block | undefined;
  /** The commit we hold for `height` (the next block's lastCommit once that exists, else our own). */
  commit(height: number): Commit | undefined;
  /** Stores a decided block with a commit for it. Durable when the promise resolves. */
  saveBlock(block: Block, commit: Commit): Promise<void>;
  /** Replaces the commit of an already stored height (with more signatures). */
  saveCommit(commit: Commit): Promise<void>;
  /** The chain state after the last applied block (undefined before genesis). */
  state(): ChainState | undefined;
  /** The chain state after block `height` (genesis state at initialHeight − 1), if kept. */
  stateAt(height: number): ChainState | undefined;
  /** Stores the chain state. Durable when the promise resolves. */
  saveState(state: ChainState): Promise<void>;
}

/** A `BlockStore` in memory. */
export class MemoryBlockStore implements BlockStore {
  readonly #blocks = new Map<number, Block>();
  readonly #commits = new Map<number, Commit>();
  readonly #states = new Map<number, ChainState>();
  #top = 0;
  #state: ChainState | undefined;

  height(): number {
    return this.#top;
  }
  block(height: number): Block | undefined {
    return this.#blocks.get(height);
  }
  commit(height: number): Commit | undefined {
    return this.#commits.get(height);
  }
  async saveBlock(block: Block, commit: Commit): Promise<void> {
    this.#blocks.set(block.header.height, block);
    this.#commits.set(commit.height, commit);
    if (block.header.height > this.#top) this.#top = block.header.height;
  }
  async saveCommit(commit: Commit): Promise<void> {
    if (this.#blocks.has(commit.height)) this.#commits.set(commit.height, commit);
  }
  state(): ChainState | undefined {
    return this.#state;
  }
  stateAt(height: number): ChainState | undefined {
    return this.#states.get(height);
  }
  async saveState(state: ChainState): Promise<void> {
    this.#state = state;
    this.#states.set(state.lastBlockHeight, state);
  }
}
