/**
 * The EVM's view of the runtime state (`@ethereumjs/evm`'s `StateManagerInterface`): nonces and balances
 * from the accounts module under each Ethereum address's runtime-sdk address, code and storage from the
 * `evm` store. Checkpoints are nested write buffers over the transaction's state, so a reverted call frame
 * drops exactly its own writes and a committed one hands them to its parent; the EVM never sees a write
 * that is not in the authenticated state once the outermost frame commits.
 */
import type { AccountFields, StateManagerInterface } from '@ethereumjs/common';
import { type Account, type Address, createAccount, KECCAK256_NULL, KECCAK256_RLP } from '@ethereumjs/util';
import { keccak_256 } from '@noble/hashes/sha3.js';
import type { StateReader, StateWriter } from '../../../../state/api.ts';
import { StateOverlay } from '../../../../state/overlay.ts';
import { NATIVE_DENOMINATION } from '../accounts/params.ts';
import { credit, debit, getBalance, getNonce, nonceKey, setNonce } from '../accounts/state.ts';
import { oasisAddressOfEth } from './address.ts';
import { type ContractStorage, PUBLIC_STORAGE } from './contract_storage.ts';
import { getCode, setCode } from './state.ts';

function unsupported(what: string): never {
  throw new Error(`${what} is not supported: the runtime state is versioned by the host`);
}

/** A state manager bound to one transaction's state at a time. */
export class RuntimeStateManager implements StateManagerInterface {
  /**
   * keccak256 of code, by the code's byte array: the EVM reads a called contract's account (with its code
   * hash) several times per call, and hashing kilobytes of code each time was ~15% of a runtime's ERC-20
   * time. `getCode` hands back one shared array per stored code value, so a contract's hash is computed
   * once per stored value.
   */
  readonly #codeHashes = new WeakMap<Uint8Array, Uint8Array>();
  #base: StateWriter | null = null;
  #original: StateReader | null = null;
  readonly #frames: StateOverlay[] = [];
  readonly #storage: ContractStorage;

  /** A state manager keeping contract storage in `storage` (public by default). */
  constructor(storage: ContractStorage = PUBLIC_STORAGE) {
    this.#storage = storage;
  }

  /** Original (transaction-start) storage values, for EIP-2200 gas. */
  readonly originalStorageCache = {
    get: (address: Address, key: Uint8Array): Promise<Uint8Array> =>
      this.#storage.get(this.#originalState(), address.bytes, key),
    clear: (): void => {},
  };

  /** Binds to `state` (the transaction's buffer); `original` is the state storage gas compares against. */
  bind(state: StateWriter, original: StateReader = state): void {
    this.#base = state;
    this.#original = original;
    this.#frames.length = 0;
  }

  /** Unbinds; checkpoints left open (there should be none) are dropped. */
  release(): void {
    this.#frames.length = 0;
    this.#base = null;
    this.#original = null;
  }

  #state(): StateWriter {
    const top = this.#frames[this.#frames.length - 1];
    if (top !== undefined) return top;
    if (this.#base === null) throw new Error('state manager is not bound to a state');
    return this.#base;
  }

  #originalState(): StateReader {
    if (this.#original === null) throw new Error('state manager is not bound to a state');
    return this.#original;
  }

  async getAccount(address: Address): Promise<Account | undefined> {
    const state = this.#state();
    const owner = oasisAddressOfEth(address.bytes);
    const nonce = getNonce(state, owner);
    const balance = getBalance(state, owner, NATIVE_DENOMINATION);
    const code = getCode(state, address.bytes);
    if (nonce === 0n && balance === 0n && code.length === 0) return undefined;
    return createAccount({
      nonce,
      balance,
      storageRoot: KECCAK256_RLP,
      codeHash: code.length === 0 ? KECCAK256_NULL : this.#codeHash(code),
    });
  }

  #codeHash(code: Uint8Array): Uint8Array {
    let hash = this.#codeHashes.get(code);
    if (hash === undefined) {
      hash = keccak_256(code);
      this.#codeHashes.set(code, hash);
    }
    return hash;
  }

  async putAccount(address: Address, account?: Account): Promise<void> {
    if (account === undefined) return this.deleteAccount(address);
    const state = this.#state();
    const owner = oasisAddressOfEth(address.bytes);
    if (getNonce(state, owner) !== account.nonce) setNonce(state, owner, account.nonce);
    const balance = getBalance(state, owner, NATIVE_DENOMINATION);
    if (account.balance > balance) credit(state, owner, NATIVE_DENOMINATION, account.balance - balance);
    else if (account.balance < balance) debit(state, owner, NATIVE_DENOMINATION, balance - account.balance);
  }

  async deleteAccount(address: Address): Promise<void> {
    const state = this.#state();
    const owner = oasisAddressOfEth(address.bytes);
    state.remove(nonceKey(owner));
    const balance = getBalance(state, owner, NATIVE_DENOMINATION);
    if (balance > 0n) debit(state, owner, NATIVE_DENOMINATION, balance);
    setCode(state, address.bytes, new Uint8Array(0));
    await this.#storage.clear(state, address.bytes);
  }

  async modifyAccountFields(address: Address, fields: AccountFields): Promise<void> {
    const account = (await this.getAccount(address)) ?? createAccount({});
    if (fields.nonce !== undefined) account.nonce = fields.nonce;
    if (fields.balance !== undefined) account.balance = fields.balance;
    await this.putAccount(address, account);
  }

  async putCode(address: Address, value: Uint8Array): Promise<void> {
    setCode(this.#state(), address.bytes, value);
  }

  async getCode(address: Address): Promise<Uint8Array> {
    return getCode(this.#state(), address.bytes);
  }

  async getCodeSize(address: Address): Promise<number> {
    return getCode(this.#state(), address.bytes).length;
  }

  getStorage(address: Address, key: Uint8Array): Promise<Uint8Array> {
    return this.#storage.get(this.#state(), address.bytes, key);
  }

  putStorage(address: Address, key: Uint8Array, value: Uint8Array): Promise<void> {
    return this.#storage.put(this.#state(), address.bytes, key, value);
  }

  clearStorage(address: Address): Promise<void> {
    return this.#storage.clear(this.#state(), address.bytes);
  }

  async checkpoint(): Promise<void> {
    this.#frames.push(new StateOverlay(this.#state()));
  }

  async commit(): Promise<void> {
    const top = this.#frames.pop();
    if (top === undefined) throw new Error('commit without a checkpoint');
    top.commitTo(this.#state());
  }

  async revert(): Promise<void> {
    const top = this.#frames.pop();
    if (top === undefined) throw new Error('revert without a checkpoint');
    top.discard();
  }

  /** Open checkpoints (0 between transactions). */
  get depth(): number {
    return this.#frames.length;
  }

  getStateRoot(): Promise<Uint8Array> {
    return unsupported('getStateRoot');
  }

  setStateRoot(): Promise<void> {
    return unsupported('setStateRoot');
  }

  hasStateRoot(): Promise<boolean> {
    return unsupported('hasStateRoot');
  }

  clearCaches(): void {}

  shallowCopy(): StateManagerInterface {
    return unsupported('shallowCopy');
  }
}
