/**
 * What a consensus service (staking, registry, …) offers the mux: a name whose numeric prefix fixes
 * its BeginBlock/EndBlock position, the methods it executes, and hooks for genesis, blocks and invariants.
 */

import type { CborValue } from '../../codec/cbor.ts';
import type { ValidatorUpdate } from '../../consensus/api/application.ts';
import type { Transaction } from '../../consensus/api/transaction.ts';
import type { StateReader } from '../../state/api.ts';
import type { ServiceContext } from './context.ts';

/** Genesis document sections by name (`staking`, `registry`, …), each already decoded by its owner. */
export type GenesisSections = Readonly<Record<string, unknown>>;

/** One service plugged into the mux. */
export interface ConsensusService {
  /** Ordering name as oasis-core's app names, e.g. `100_staking`; begin/end block run in ascending order. */
  readonly name: string;
  /** Event/error module, e.g. `staking`. */
  readonly module: string;
  /** Mempool priority of its transactions (oasis-core `AppPriority`). */
  readonly priority: bigint;
  /** Methods it executes, e.g. `staking.Transfer`. */
  readonly methods: readonly string[];
  /** Loads the service's genesis section into state; may return the genesis validator set. */
  // biome-ignore lint/suspicious/noConfusingVoidType: services without validators simply return nothing
  initChain?(ctx: ServiceContext, genesis: GenesisSections): ValidatorUpdate[] | void;
  /** Runs at the start of every block. */
  beginBlock?(ctx: ServiceContext): void;
  /** Executes one of its methods; throws a coded error to fail the transaction. */
  executeTx(ctx: ServiceContext, method: string, body: CborValue | undefined): void;
  /** Runs at the end of every block; may return validator-set changes. */
  // biome-ignore lint/suspicious/noConfusingVoidType: services without validators simply return nothing
  endBlock?(ctx: ServiceContext): ValidatorUpdate[] | void;
  /** Throws when the service's state breaks an invariant (debug/sanity checking). */
  sanityCheck?(state: StateReader, block: SanityBlockView): void;
}

/** Block-scoped values a sanity check may need (e.g. fees collected but not yet disbursed). */
export interface SanityBlockView {
  values: ReadonlyMap<string, unknown>;
}

/**
 * Authenticates transactions and charges fees before dispatch (staking implements it, as in oasis-core's
 * `TransactionAuthHandler`).
 */
export interface TransactionAuthHandler {
  /** Checks signer, nonce and fee balance; in DeliverTx also takes the fee and bumps the nonce. Sets the gas meter. */
  authenticateTx(ctx: ServiceContext, tx: Transaction): void;
  /** After a successful CheckTx: debits the fee and bumps the nonce in the check state. */
  postExecuteTx(ctx: ServiceContext, tx: Transaction): void;
}
