/**
 * What the `RuntimeClient` gRPC service needs from a node that hosts ParaTimes: submit and check runtime
 * transactions, read the runtime's blocks, transactions with results, and query its state. The node's
 * runtime component implements it; the API layer only maps it to oasis-core's wire shapes.
 */
import type { CborValue } from '../../../codec/cbor.ts';
import { CodedError, namedError } from '../../../errors.ts';
import type { Block } from '../../../services/roothash/api/block.ts';
import type { ProtocolError } from '../../protocol/types.ts';

/** oasis-core `go/runtime/client/api` errors (module `runtime/client`). */
export const RUNTIME_CLIENT_MODULE = 'runtime/client';

/**
 * A transaction the runtime refused in its check. Carries the runtime's own error because SubmitTxMeta
 * reports it as `check_tx_error {module, code, message}` (a successful reply), while SubmitTx, SubmitTxNoWait
 * and CheckTx send this coded error; the message is oasis-core's (`protocol.Error.String()` as context).
 */
export class CheckTxFailedError extends namedError('CheckTxFailedError', CodedError) {
  /** The runtime's check error, as the runtime reported it. */
  readonly checkTxError: ProtocolError;

  constructor(error: ProtocolError) {
    const detail = `runtime error: module: ${error.module ?? ''} code: ${error.code ?? 0} message: ${error.message ?? ''}`;
    super(RUNTIME_CLIENT_MODULE, 5, `client: transaction check failed: ${detail}`);
    this.checkTxError = error;
  }
}

/** Coded errors of the runtime client (codes and messages of oasis-core `go/runtime/client/api/api.go`). */
export const RuntimeClientErrors = Object.freeze({
  notFound: (what: string) => new CodedError(RUNTIME_CLIENT_MODULE, 1, `client: not found: ${what}`),
  internal: (why: string) => new CodedError(RUNTIME_CLIENT_MODULE, 2, `client: internal error: ${why}`),
  transactionExpired: () => new CodedError(RUNTIME_CLIENT_MODULE, 3, 'client: transaction expired'),
  notSynced: () => new CodedError(RUNTIME_CLIENT_MODULE, 4, 'client: not finished initial sync'),
  /** The runtime refused the transaction in its check; `error` is the runtime's CheckTx error. */
  checkTxFailed: (error: ProtocolError) => new CheckTxFailedError(error),
  noHostedRuntime: () => new CodedError(RUNTIME_CLIENT_MODULE, 6, 'client: no hosted runtime is available'),
});

/** Round number meaning "the latest round" (oasis-core `RoundLatest`). */
export const ROUND_LATEST = 2n ** 64n - 1n;

/** An event of a transaction: its tag key (module || u32 code) and the CBOR array of its bodies. */
export interface RuntimeEventTag {
  key: Uint8Array;
  value: Uint8Array;
}

/** A transaction of a round with its result (CBOR `CallResult`) and events as the runtime produced them. */
export interface TransactionWithResult {
  tx: Uint8Array;
  result: Uint8Array;
  events: RuntimeEventTag[];
}

/** Where and how a submitted transaction ended up. */
export interface SubmittedTx {
  /** CBOR `CallResult` of the transaction. */
  result: Uint8Array;
  /** Round whose block includes it. */
  round: bigint;
  /** Its position in that round's batch. */
  batchOrder: number;
}

/** A runtime block together with the consensus height at which it was finalized. */
export interface AnnotatedBlock {
  consensusHeight: bigint;
  block: Block;
}

/** The runtime side of a node, as its API sees it. Every method throws coded errors. */
export interface RuntimeClientBackend {
  /** True when the node hosts runtime `id`. */
  hosts(id: Uint8Array): boolean;
  /**
   * Checks `tx` against the latest state, gossips it to the runtime's committee, and resolves once a
   * finalized round includes it (`checkTxFailed` with the runtime's check error when refused — SubmitTxMeta
   * needs that error's module and code; `transactionExpired` when it never lands).
   */
  submitTx(id: Uint8Array, tx: Uint8Array): Promise<SubmittedTx>;
  /** As `submitTx`, without waiting for inclusion. */
  submitTxNoWait(id: Uint8Array, tx: Uint8Array): Promise<void>;
  /** Checks `tx` against the latest state without submitting it. */
  checkTx(id: Uint8Array, tx: Uint8Array): Promise<void>;
  /** The runtime's genesis block. */
  genesisBlock(id: Uint8Array): Block;
  /** The block of `round` (`ROUND_LATEST` for the latest); `notFound` when this node does not have it. */
  block(id: Uint8Array, round: bigint): Block;
  /** The earliest block this node still has. */
  lastRetainedBlock(id: Uint8Array): Block;
  /** Transactions of a round in batch order, with their results and events. */
  transactions(id: Uint8Array, round: bigint): TransactionWithResult[];
  /** Transactions waiting in this node's pool for a round. */
  unconfirmedTransactions(id: Uint8Array): Uint8Array[];
  /**
   * The nonce `sender` (a runtime address) would use next, counting its transactions waiting in this
   * node's pool from `stateNonce` (its nonce in the latest state) on.
   */
  pendingNonce(id: Uint8Array, sender: Uint8Array, stateNonce: bigint): bigint;
  /** Runs a read-only runtime query at `round` (`ROUND_LATEST` for the latest). */
  query(id: Uint8Array, round: bigint, method: string, args: CborValue): Promise<CborValue>;
  /** Calls `onBlock` for every new block from now on; returns the unsubscribe function. */
  watchBlocks(id: Uint8Array, onBlock: (b: AnnotatedBlock) => void): () => void;
}
