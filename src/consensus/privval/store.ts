/**
 * Where the last-sign state lives. The guard only needs load-at-start and save-before-release; the file
 * store serves real nodes, the memory store the simulator (it survives a simulated crash because the
 * simulator keeps the object, just as a disk keeps a file).
 */
import type { SignState } from './sign_state.ts';

/** Durable home of the last-sign state. `save` must be durable when its promise resolves. */
export interface SignStateStore {
  /** The persisted state, or undefined when nothing was ever signed. */
  load(): Promise<SignState | undefined>;
  /** Replaces the persisted state atomically and durably. */
  save(state: SignState): Promise<void>;
}

function copy(s: SignState): SignState {
  return { ...s, signBytes: new Uint8Array(s.signBytes), signature: new Uint8Array(s.signature) };
}

/** A sign-state store held in memory (every save is "durable" at once). */
export class MemorySignStateStore implements SignStateStore {
  #state: SignState | undefined;

  /** Starts empty, or from `initial`. */
  constructor(initial?: SignState) {
    this.#state = initial === undefined ? undefined : copy(initial);
  }

  /** A copy of the stored state. */
  async load(): Promise<SignState | undefined> {
    return this.#state === undefined ? undefined : copy(this.#state);
  }

  /** Stores a copy of `state`. */
  async save(state: SignState): Promise<void> {
    this.#state = copy(state);
  }
}
