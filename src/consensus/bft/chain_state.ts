/**
 * The consensus-side chain state between heights: which validator sets decide the last, current and next
 * block, and what the next header must commit to. Validator updates returned by the application at H are
 * applied to the set that decides H+2 (CometBFT's one-block delay), so H+1's header can already commit to
 * the set that signs H+2.
 */
import { EMPTY_HASH } from '../../crypto/hash.ts';
import type { InitChainResponse, ValidatorUpdate } from '../api/application.ts';
import { ValidatorSet } from './validator_set.ts';

/** State after the last decided block (or at genesis). */
export interface ChainState {
  chainId: string;
  initialHeight: number;
  /** Genesis time, unix milliseconds (the first block's time). */
  genesisTime: number;
  /** Last decided height (initialHeight − 1 at genesis). */
  lastBlockHeight: number;
  lastBlockHash: Uint8Array;
  /** Time of the last block, unix milliseconds (genesis time at genesis). */
  lastBlockTime: number;
  /** Set that decided the last block (null at genesis). */
  lastValidators: ValidatorSet | null;
  /** Set that decides the next block. */
  validators: ValidatorSet;
  /** Set that decides the block after next. */
  nextValidators: ValidatorSet;
  /** Application state root after the last block. */
  appHash: Uint8Array;
}

/** The state at genesis, from the application's `initChain` answer. */
export function genesisChainState(
  chainId: string,
  initialHeight: number,
  genesisTime: number,
  init: InitChainResponse,
): ChainState {
  const validators = ValidatorSet.genesis(init.validators);
  return {
    chainId,
    initialHeight,
    genesisTime,
    lastBlockHeight: initialHeight - 1,
    lastBlockHash: EMPTY_HASH,
    lastBlockTime: genesisTime,
    lastValidators: null,
    validators,
    nextValidators: validators.advanced(1),
    appHash: init.appHash,
  };
}

/** The state after deciding a block at `state.lastBlockHeight + 1`. */
export function advanceChainState(
  state: ChainState,
  decided: { hash: Uint8Array; time: number },
  appHash: Uint8Array,
  updates: readonly ValidatorUpdate[],
): ChainState {
  const base = updates.length > 0 ? state.nextValidators.withUpdates(updates) : state.nextValidators;
  return {
    ...state,
    lastBlockHeight: state.lastBlockHeight + 1,
    lastBlockHash: decided.hash,
    lastBlockTime: decided.time,
    lastValidators: state.validators,
    validators: state.nextValidators,
    nextValidators: base.advanced(1),
    appHash,
  };
}
