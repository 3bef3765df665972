/**
 * The context a service works in: the state to read and write, the block being executed, the gas meter,
 * the transaction signer and the events emitted so far. `nested` gives a method atomicity: writes and
 * events land in the parent only when the callback returns normally.
 */
import type { AppEvent, Misbehavior, VoteInfo } from '../../consensus/api/application.ts';
import { type Address, addressFromPublicKey } from '../../crypto/address.ts';
import type { StateWriter } from '../../state/api.ts';
import { StateOverlay } from '../../state/overlay.ts';
import type { EpochSource, EpochTime } from './epoch.ts';
import { GasMeter, UNLIMITED_GAS } from './gas.ts';

/** What the context is executing, as oasis-core's context modes. */
export type ContextMode = 'init' | 'check' | 'deliver' | 'simulate' | 'begin' | 'end';

/** The block a context belongs to, shared by begin block, every transaction and end block. */
export interface BlockInfo {
  height: number;
  /** Block time, unix seconds. */
  time: number;
  /** Consensus public key of the proposer (empty outside blocks). */
  proposer: Uint8Array;
  /** Participation in the previous block's commit. */
  lastCommit: VoteInfo[];
  /** Misbehaviour proven in this block. */
  misbehavior: Misbehavior[];
  /** The block's gas budget (`max_block_gas`; unlimited when 0). */
  gas: GasMeter;
  /** Block-scoped values (fee accumulator, proposer entity), keyed by their owner. */
  values: Map<string, unknown>;
  /** The consensus `min_gas_price`: what a unit of gas costs whoever pays for work outside a tx's fee. */
  minGasPrice: bigint;
}

/** A fresh block info (used by the mux for each block, and for init/check contexts). */
export function newBlockInfo(
  height: number,
  time: number,
  proposer: Uint8Array = new Uint8Array(0),
  lastCommit: VoteInfo[] = [],
  misbehavior: Misbehavior[] = [],
  maxBlockGas = 0n,
  minGasPrice = 0n,
): BlockInfo {
  const gas = new GasMeter(maxBlockGas === 0n ? UNLIMITED_GAS : maxBlockGas);
  return { height, time, proposer, lastCommit, misbehavior, gas, values: new Map(), minGasPrice };
}

/** Everything a context is built from. */
export interface ContextInit {
  mode: ContextMode;
  block: BlockInfo;
  state: StateWriter;
  epochs: EpochSource;
  gas?: GasMeter;
  txHash?: Uint8Array;
  txSigner?: Uint8Array;
}

/** The execution context handed to services. */
export class ServiceContext {
  readonly mode: ContextMode;
  readonly block: BlockInfo;
  readonly state: StateWriter;
  readonly epochs: EpochSource;
  /** Events emitted in this context (moved to the parent when a nested context commits). */
  readonly events: AppEvent[] = [];
  gas: GasMeter;
  txHash: Uint8Array | undefined;
  /** Public key that signed the transaction being executed. */
  txSigner: Uint8Array | undefined;
  #callerAddress: Address | undefined;

  constructor(init: ContextInit) {
    this.mode = init.mode;
    this.block = init.block;
    this.state = init.state;
    this.epochs = init.epochs;
    this.gas = init.gas ?? new GasMeter(UNLIMITED_GAS);
    this.txHash = init.txHash;
    this.txSigner = init.txSigner;
  }

  /** Staking address of the transaction signer (oasis-core `CallerAddress`), derived once per context. */
  get callerAddress(): Address {
    if (this.txSigner === undefined) throw new Error('context has no transaction signer');
    this.#callerAddress ??= addressFromPublicKey(this.txSigner);
    return this.#callerAddress;
  }

  /** True in mempool checks: methods validate but do not execute. */
  get isCheckOnly(): boolean {
    return this.mode === 'check';
  }

  /** True when estimating gas. */
  get isSimulation(): boolean {
    return this.mode === 'simulate';
  }

  /** Height of the block being executed. */
  get height(): number {
    return this.block.height;
  }

  /** The epoch in effect for this block. */
  currentEpoch(): EpochTime {
    return this.epochs.currentEpoch(this.state, this.block.height);
  }

  /** True when this block is the first of a new epoch. */
  epochChanged(): boolean {
    return this.epochs.epochChanged(this.state, this.block.height);
  }

  /** Records a typed event of `module` (e.g. `staking`) and `kind` (e.g. `transfer`). */
  emit(module: string, kind: string, value: unknown): void {
    const event: AppEvent = { module, kind, value };
    if (this.txHash !== undefined) event.txHash = this.txHash;
    this.events.push(event);
  }

  /**
   * Runs `fn` over a write buffer on top of this context's state, sharing the gas meter. On return the
   * buffered writes and events move into this context; on a throw they are dropped and the error rethrown.
   */
  nested<T>(fn: (ctx: ServiceContext) => T): T {
    const overlay = new StateOverlay(this.state);
    const child = new ServiceContext({
      mode: this.mode,
      block: this.block,
      state: overlay,
      epochs: this.epochs,
      gas: this.gas,
      txHash: this.txHash,
      txSigner: this.txSigner,
    });
    child.#callerAddress = this.#callerAddress;
    const result = fn(child);
    overlay.commitTo(this.state);
    for (const e of child.events) this.events.push(e);
    return result;
  }
}
