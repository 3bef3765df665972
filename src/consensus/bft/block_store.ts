/**
 * Decided blocks, their commits and the chain state after each, as the driver persists them. The port is
 * declared in consensus/api; the in-memory store here serves the simulator (it survives a simulated crash
 * because the simulator keeps the object, like a disk), storage's LMDB store serves the node.
 */
import type { Block } from '../api/block.ts';
import type { BlockStore as BlockStorePort } from '../api/block_store.ts';
import type { Commit } from '../api/commit.ts';
import type { ChainState } from './chain_state.ts';

/** The engine's block store: the consensus/api port over the engine's chain state. */
export type BlockStore = BlockStorePort<ChainState>;

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
  async flush(): Promise<void> {}
}
