/**
 * What a ParaTime implements to run under our runtime host: genesis from the handshake, per-transaction
 * checks, batch execution over a write buffer, and queries. The SDK (serve.ts, batch.ts) does everything
 * generic around it: the protocol, state roots, the IO tree and the commitment hashes.
 */
import type { CborValue } from '../../../codec/cbor.ts';
import type { StateReader, StateWriter } from '../../../state/api.ts';
import type { RuntimeEvent } from '../../protocol/events.ts';
import type { KeyPair, RuntimeKeyRequest } from '../../protocol/keymanager.ts';
import type {
  BlockContext,
  CheckTxResult,
  RuntimeExecuteTxBatchRequest,
  RuntimeInfoRequest,
  Version,
  WriteLogEntry,
} from '../../protocol/types.ts';

/** What executing a batch produced, besides the state writes (taken from the write buffer). */
export interface BatchOutcome {
  /** CBOR CallResult per input transaction, in input order. */
  results: Uint8Array[];
  /** Events per input transaction, in input order (none for a failed call). */
  events: RuntimeEvent[][];
  /** Events of the block itself, not of a transaction (e.g. deposits completed by the consensus layer). */
  blockEvents?: RuntimeEvent[];
  /** Outgoing consensus messages. */
  messages: CborValue[];
  /** How many incoming messages were processed (a prefix of `in_msgs`). */
  inMessagesProcessed: number;
}

/** A value, or a promise of it: an app whose engine is asynchronous (the EVM) returns promises. */
export type MaybePromise<T> = T | Promise<T>;

/** What a runtime may ask of its host besides state: keys from its key manager. */
export interface RuntimeHostCalls {
  keyPair(request: RuntimeKeyRequest): Promise<KeyPair>;
}

/** A ParaTime's state transition, free of any transport. */
export interface RuntimeApp {
  /** The runtime's own version, reported in the handshake. */
  readonly version: Version;
  /** Called on each handshake; returns the genesis state writes (sorted by key). */
  init(info: RuntimeInfoRequest): WriteLogEntry[];
  /** Checks one raw transaction against `state` for mempool admission. */
  checkTx(state: StateReader, raw: Uint8Array, block: BlockContext): MaybePromise<CheckTxResult>;
  /** Executes a batch, writing into `state` (a buffer the SDK turns into the write log). */
  executeBatch(state: StateWriter, request: RuntimeExecuteTxBatchRequest): MaybePromise<BatchOutcome>;
  /** Answers a read-only query; throws a `CodedError` for unknown methods or bad arguments. */
  query(state: StateReader, method: string, args: CborValue, block: BlockContext): MaybePromise<CborValue>;
  /** Receives the host's calls once connected (a confidential runtime fetches its keys through them). */
  attachHost?(host: RuntimeHostCalls): void;
}
