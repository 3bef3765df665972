/**
 * Contract storage encrypted at rest, as Sapphire keeps it (runtime-sdk `storage/confidential.rs`): under
 * `"evm" 0x04 ‖ address`, each slot's key is `nonce ‖ seal(nonce, slot)` with a nonce derived from the
 * slot (so lookups find it) and its value `nonce ‖ seal(nonce, value)`, both under the contract's state key:
 * the long-term key pair the key manager derives for ("oasis-runtime-sdk/evm: state", address). The
 * committed state root covers only ciphertexts, and `evm.Storage` (`eth_getStorageAt`), which reads the
 * public store, sees nothing. Values are sealed with a nonce derived from slot and value (runtime-sdk draws it
 * from the round instead), which keeps every node's state identical without any randomness; equal values
 * written to one slot therefore look equal. Being a pure function of key and slot, a slot's sealed key is
 * remembered (a bounded cache), and each contract's cipher keeps its key schedule.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha512_256 } from '@noble/hashes/sha2.js';
import { concatBytes, toHex, utf8 } from '../../../../codec/bytes.ts';
import { MRAE_NONCE_SIZE, MraeKey } from '../../../../crypto/mrae.ts';
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
/** Sealed slot keys remembered before the cache starts over. */
const SLOT_KEY_CACHE_SIZE = 1 << 16;

/** One contract's keys: its state key's cipher and the nonce key derived from it. */
interface ContractKeys {
  cipher: MraeKey;
  nonceKey: Uint8Array;
}

/** The state keys of contracts, fetched from the key manager once per contract. */
export class ContractStateKeys {
  readonly #host: RuntimeHostCalls;
  readonly #byAddress = new Map<string, Promise<ContractKeys>>();

  constructor(host: RuntimeHostCalls) {
    this.#host = host;
  }

  /** The state key (as a cipher) of `address` and the nonce key derived from it. */
  keys(address: Uint8Array): Promise<ContractKeys> {
    const id = toHex(address);
    let keys = this.#byAddress.get(id);
    if (keys === undefined) {
      keys = this.#host
        .keyPair({ key_pair_id: keyPairId([STATE_KEY_PAIR, address]) })
        .then((pair) => ({
          cipher: new MraeKey(pair.state_key),
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
  const sealedKeys = new Map<string, Uint8Array>();
  const slotKey = async (address: Uint8Array, slot: Uint8Array) => {
    const k = await keys.keys(address);
    const word = toWord(slot);
    const id = toHex(address) + toHex(word);
    let key = sealedKeys.get(id);
    if (key === undefined) {
      const nonce = nonceOf(k.nonceKey, word);
      key = concatBytes(prefixOf(address), nonce, k.cipher.seal(nonce, word));
      if (sealedKeys.size >= SLOT_KEY_CACHE_SIZE) sealedKeys.clear();
      sealedKeys.set(id, key);
    }
    return { k, word, key };
  };
  return {
    async get(state, address, slot) {
      const { k, key } = await slotKey(address, slot);
      const sealed = state.get(key);
      if (sealed === undefined) return new Uint8Array(WORD_SIZE);
      return k.cipher.open(sealed.subarray(0, MRAE_NONCE_SIZE), sealed.subarray(MRAE_NONCE_SIZE));
    },
    async put(state, address, slot, value) {
      const { k, word, key } = await slotKey(address, slot);
      const v = toWord(value);
      if (v.every((b) => b === 0)) {
        state.remove(key);
        return;
      }
      const nonce = nonceOf(k.nonceKey, VALUE_NONCE, word, v);
      state.set(key, concatBytes(nonce, k.cipher.seal(nonce, v)));
    },
    async clear(state: StateWriter, address) {
      const stale = [...state.entries(prefixOf(address))].map(([key]) => key);
      for (const key of stale) state.remove(key);
    },
  };
}
