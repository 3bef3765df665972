/**
 * Where contract storage lives: the public store (`state.ts`) on a plain EVM, or a confidential one on
 * Sapphire. The state manager goes through this port only, so the EVM never knows which.
 */
import type { StateReader, StateWriter } from '../../../../state/api.ts';
import { clearStorage, getStorage, setStorage } from './state.ts';

/** A contract storage backend. */
export interface ContractStorage {
  get(state: StateReader, address: Uint8Array, slot: Uint8Array): Promise<Uint8Array>;
  /** Sets a slot; a zero value removes it. */
  put(state: StateWriter, address: Uint8Array, slot: Uint8Array, value: Uint8Array): Promise<void>;
  clear(state: StateWriter, address: Uint8Array): Promise<void>;
}

/** Public storage, readable by `evm.Storage`. */
export const PUBLIC_STORAGE: ContractStorage = Object.freeze<ContractStorage>({
  get: async (state, address, slot) => getStorage(state, address, slot),
  put: async (state, address, slot, value) => setStorage(state, address, slot, value),
  clear: async (state, address) => clearStorage(state, address),
});
