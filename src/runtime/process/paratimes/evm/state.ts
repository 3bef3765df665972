/**
 * Contract code and storage in the runtime state, under runtime-sdk's `evm` key layout so the committed
 * state root covers them: code at `"evm" 0x01 || address20` (CBOR bstr), public storage at `"evm" 0x02 ||
 * address20 || blake3(slot32) || slot32` (CBOR bstr32; a zero value is removed, never stored). Nonces and
 * balances are not here: they live in the accounts module, under the account's runtime-sdk address.
 */
import { blake3 } from '@noble/hashes/blake3.js';
import { concatBytes, utf8 } from '../../../../codec/bytes.ts';
import { decodeCanonical, encodeCanonical } from '../../../../codec/cbor.ts';
import { bytes } from '../../../../codec/schema.ts';
import type { StateReader, StateWriter } from '../../../../state/api.ts';
import { EVM_MODULE } from './params.ts';

const MODULE_PREFIX = utf8(EVM_MODULE);
const CODES = 0x01;
const STORAGES = 0x02;

/** Size of a storage slot index and value. */
export const WORD_SIZE = 32;

/** Key of a contract's code. */
export const codeKey = (address: Uint8Array): Uint8Array =>
  concatBytes(MODULE_PREFIX, Uint8Array.of(CODES), address);

/** Prefix of all of a contract's storage. */
export const storagePrefix = (address: Uint8Array): Uint8Array =>
  concatBytes(MODULE_PREFIX, Uint8Array.of(STORAGES), address);

/** Key of one storage slot (runtime-sdk's blake3-hashed store). */
export const storageKey = (address: Uint8Array, slot: Uint8Array): Uint8Array =>
  concatBytes(storagePrefix(address), blake3(slot), slot);

/** The code at `address` (empty when none). */
export function getCode(state: StateReader, address: Uint8Array): Uint8Array {
  const v = state.get(codeKey(address));
  if (v === undefined) return new Uint8Array(0);
  let code = decodedCode.get(v);
  if (code === undefined) {
    code = bytes()(decodeCanonical(v), 'code');
    decodedCode.set(v, code);
  }
  return code;
}

/**
 * Decoded code by its stored value: state reads hand back the stored array itself, and a called contract's
 * code is read several times per call (decoding kilobytes each time showed in profiles). Code arrays are
 * never changed in place, so the same stored value always decodes to the same (shared) array.
 */
const decodedCode = new WeakMap<Uint8Array, Uint8Array>();

/** Sets (or, for empty code, removes) the code at `address`. */
export function setCode(state: StateWriter, address: Uint8Array, code: Uint8Array): void {
  if (code.length === 0) state.remove(codeKey(address));
  else state.set(codeKey(address), encodeCanonical(code));
}

/** Left-pads a big-endian word to 32 bytes (longer input is refused). */
export function toWord(value: Uint8Array): Uint8Array {
  if (value.length === WORD_SIZE) return value;
  if (value.length > WORD_SIZE) throw new Error('a storage word has at most 32 bytes');
  const out = new Uint8Array(WORD_SIZE);
  out.set(value, WORD_SIZE - value.length);
  return out;
}

/** The 32-byte value of a storage slot (zeros when unset). */
export function getStorage(state: StateReader, address: Uint8Array, slot: Uint8Array): Uint8Array {
  const v = state.get(storageKey(address, toWord(slot)));
  return v === undefined ? new Uint8Array(WORD_SIZE) : bytes(WORD_SIZE)(decodeCanonical(v), 'storage');
}

/** Sets a storage slot; a zero value removes it. */
export function setStorage(
  state: StateWriter,
  address: Uint8Array,
  slot: Uint8Array,
  value: Uint8Array,
): void {
  const key = storageKey(address, toWord(slot));
  const word = toWord(value);
  if (word.every((b) => b === 0)) state.remove(key);
  else state.set(key, encodeCanonical(word));
}

/** Removes all of a contract's storage. */
export function clearStorage(state: StateWriter, address: Uint8Array): void {
  const keys = [...state.entries(storagePrefix(address))].map(([k]) => k);
  for (const k of keys) state.remove(k);
}
