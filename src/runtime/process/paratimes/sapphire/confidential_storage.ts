/**
 * Contract storage encrypted at rest, as Sapphire keeps it (runtime-sdk `storage/confidential.rs`): under
 * `"evm" 0x04 ‖ address`, each slot's key is `nonce ‖ seal(nonce, slot)` with a nonce derived from the
 * slot (so lookups find it) and its value `nonce ‖ seal(nonce, value)`, both under the contract's state key:
 * the long-term key pair the key manager derives for ("oasis-runtime-sdk/evm: state", address). The
 * committed state root covers only ciphertexts, and `evm.Storage` (`eth_getStorageAt`), which reads the
 * public store, sees nothing. Values are sealed with a nonce derived from slot and value (runtime-sdk draws it
 * from the round instead), which keeps every node's state identical without any randomness; equal values
 * written to one slot therefore look equal.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha512_256 } from '@noble/hashes/sha2.js';
import { concatBytes, toHex, utf8 } from '../../../../codec/bytes.ts';
import { MRAE_NONCE_SIZE, mraeOpen, mraeSeal } from '../../../../crypto/mrae.ts';
import type { StateWriter } from '../../../../state/api.ts';
import type { RuntimeHostCalls } from '../../sdk/app.ts';
import type { ContractStorage } from '../evm/contract_storage.ts';
import { EVM_MODULE } from '../evm/params.ts';
import { toWord, WORD_SIZE } from '../evm/state.ts';
import { KeyManagerUnavailableError, keyPairId } from './call_data_keys.ts';

const CONFIDENTIAL_STORAGES = 0x04;
const STATE_KEY_PAIR = utf8('oasis-runtime-sdk/evm: state');
const NONCE_KEY_CONTEXT = utf8('oasis-runtime-sdk/confidential-store: nonce key');
const VALUE_NONCE = utf8('value');

/** The state keys of contracts, fetched from the key manager once per contract. */
export class ContractStateKeys {
  readonly #host: RuntimeHostCalls;
  readonly #byAddress = new Map<string, Promise<{ stateKey: Uint8Array; nonceKey: Uint8Array }>>();

  constructor(host: RuntimeHostCalls) {
    this.#host = host;
  }

  /** The state key of `address` and the nonce key derived from it. */
  keys(address: Uint8Array): Promise<{ stateKey: Uint8Array; nonceKey: Uint8Array }> {
    const id = toHex(address);
    let keys = this.#byAddress.get(id);
    if (keys === undefined) {
      keys = this.#host
        .keyPair({ key_pair_id: keyPairId([STATE_KEY_PAIR, address]) })
        .then((pair) => ({
          stateKey: pair.state_key,
          nonceKey: hmac(sha512_256, NONCE_KEY_CONTEXT, pair.state_key),
        }))
        .catch((err: unknown) => {
          this.#byAddress.delete(id);
          throw new KeyManagerUnavailableError(err);
        });
      this.#byAddress.set(id, keys);
    }
    return keys;
  }
}

const prefixOf = (address: Uint8Array) =>
  concatBytes(utf8(EVM_MODULE), Uint8Array.of(CONFIDENTIAL_STORAGES), address);
const nonceOf = (...parts: Uint8Array[]) => sha512_256(concatBytes(...parts)).slice(0, MRAE_NONCE_SIZE);

/** Confidential contract storage over `keys`. */
export function confidentialStorage(keys: ContractStateKeys): ContractStorage {
  const slotKey = async (address: Uint8Array, slot: Uint8Array) => {
    const k = await keys.keys(address);
    const word = toWord(slot);
    const nonce = nonceOf(k.nonceKey, word);
    return { k, word, key: concatBytes(prefixOf(address), nonce, mraeSeal(k.stateKey, nonce, word)) };
  };
  return {
    async get(state, address, slot) {
      const { k, key } = await slotKey(address, slot);
      const sealed = state.get(key);
      if (sealed === undefined) return new Uint8Array(WORD_SIZE);
      return mraeOpen(k.stateKey, sealed.subarray(0, MRAE_NONCE_SIZE), sealed.subarray(MRAE_NONCE_SIZE));
    },
    async put(state, address, slot, value) {
      const { k, word, key } = await slotKey(address, slot);
      const v = toWord(value);
      if (v.every((b) => b === 0)) {
        state.remove(key);
        return;
      }
      const nonce = nonceOf(k.nonceKey, VALUE_NONCE, word, v);
      state.set(key, concatBytes(nonce, mraeSeal(k.stateKey, nonce, v)));
    },
    async clear(state: StateWriter, address) {
      const stale = [...state.entries(prefixOf(address))].map(([key]) => key);
      for (const key of stale) state.remove(key);
    },
  };
}
