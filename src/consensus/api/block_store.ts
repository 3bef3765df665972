/**
 * The block store port the consensus engine declares and storage implements: decided blocks, their commits
 * and the engine's chain state after each height. The chain state is the engine's own type, opaque here
 * except for the height it follows; a store keeps it through the engine's codec, so storage never imports
 * the engine.
 */
import type { Block } from './block.ts';
import type { Commit } from './commit.ts';

/** What a store must know of the engine's chain state: the height it is the state after. */
export interface HeightState {
  /** Last decided height (initialHeight − 1 at genesis). */
  lastBlockHeight: number;
}

/** Bytes of a chain state and back, supplied by the engine. */
export interface ChainStateCodec<S extends HeightState> {
  encode(state: S): Uint8Array;
  decode(bytes: Uint8Array): S;
}

/**
 * Durable home of decided blocks and the chain state `S`. Saves are atomic and visible when their promise
 * resolves, and durable (in the order made) once a later `flush` resolves: one disk sync per height
 * instead of one per save.
 */
export interface BlockStore<S extends HeightState> {
  /** Highest stored block height (0 when empty). */
  height(): number;
  block(height: number): Block | undefined;
  /** The commit we hold for `height` (the next block's lastCommit once that exists, else our own). */
  commit(height: number): Commit | undefined;
  /** Stores a decided block with a commit for it (durable after the next `flush`). */
  saveBlock(block: Block, commit: Commit): Promise<void>;
  /** Replaces the commit of an already stored height (with more signatures; durable after `flush`). */
  saveCommit(commit: Commit): Promise<void>;
  /** The chain state after the last applied block (undefined before genesis). */
  state(): S | undefined;
  /** The chain state after block `height` (genesis state at initialHeight − 1), if kept. */
  stateAt(height: number): S | undefined;
  /** Stores the chain state (durable after the next `flush`). */
  saveState(state: S): Promise<void>;
  /** Resolves once every save made before is on stable storage. */
  flush(): Promise<void>;
}
