/**
 * Payloads of the runtime host protocol, named and shaped after oasis-core's `go/runtime/host/protocol`
 * (same body kinds, same field names where the meaning is the same). Block context is flattened into each
 * request (round, previous state root, consensus height, epoch) because our runtimes read no consensus
 * state of their own. Every payload has a strict decoder: unknown or missing fields are a protocol fault.
 */
import type { CborValue } from '../../codec/cbor.ts';
import { quantity } from '../../codec/quantity.ts';
import {
  anyValue,
  arrayOf,
  bytes,
  type Decoder,
  optional,
  struct,
  text,
  u64,
  uint,
} from '../../codec/schema.ts';
import { ADDRESS_SIZE } from '../../crypto/address.ts';
import { HASH_SIZE } from '../../crypto/hash.ts';
import { CodecError } from '../../errors.ts';
import { keyPairDecoder, runtimeKeyRequestDecoder } from './keymanager.ts';

/** A semantic version; absent parts mean 0 (oasis-core omits zero parts). */
export interface Version {
  major?: number;
  minor?: number;
  patch?: number;
}

/** Handshake request: who the runtime is and which chain it runs under. */
export interface RuntimeInfoRequest {
  runtime_id: Uint8Array;
  consensus_backend: string;
  consensus_protocol_version: Version;
  consensus_chain_context: string;
  /** Runtime-specific configuration (e.g. genesis balances of a test ParaTime). */
  local_config?: CborValue;
}

/** Handshake response. */
export interface RuntimeInfoResponse {
  protocol_version: Version;
  runtime_version: Version;
  features?: CborValue;
}

/** The block a batch or query runs on top of. */
export interface BlockContext {
  /** Round being computed (executes) or read (queries). */
  round: bigint;
  /** State root the batch starts from (or the query reads). */
  state_root: Uint8Array;
  /** Consensus height the round is anchored at. */
  consensus_height: bigint;
  /** Current epoch. */
  epoch: bigint;
}

/** A consensus → runtime message (roothash.SubmitMsg), as queued by the roothash service. */
export interface IncomingMessage {
  id: bigint;
  caller: Uint8Array;
  tag: bigint;
  fee: bigint;
  tokens: bigint;
  data: Uint8Array;
}

/** Check a batch of raw transactions against `state_root` (mempool admission). */
export interface RuntimeCheckTxBatchRequest extends BlockContext {
  inputs: Uint8Array[];
}

/** A coded error, or `code` 0 / absent for success. */
export interface ProtocolError {
  module?: string;
  code?: number;
  message?: string;
}

/** What the mempool needs to order a checked transaction. */
export interface CheckTxMetadata {
  priority: bigint;
  sender: Uint8Array;
  sender_seq: bigint;
}

/** Check result of one transaction. */
export interface CheckTxResult {
  error: ProtocolError;
  meta?: CheckTxMetadata;
}

/** Per-transaction check results, in input order. */
export interface RuntimeCheckTxBatchResponse {
  results: CheckTxResult[];
}

/** Execute a batch: transactions plus incoming consensus messages, on top of a previous state root. */
export interface RuntimeExecuteTxBatchRequest extends BlockContext {
  /** Timestamp (seconds) of the consensus block the round is anchored at. */
  timestamp: bigint;
  /** Most consensus messages the batch may emit. */
  max_messages: number;
  inputs: Uint8Array[];
  in_msgs: IncomingMessage[];
  /**
   * Outcomes of the messages the runtime's last normal round emitted (roothash `RoundResults.messages` at
   * the round's anchor), so the runtime can finish what it started with them (runtime-sdk's message
   * hooks: mint a deposit once the consensus layer moved it). Absent = none.
   */
  message_results?: MessageResult[];
}

/** The consensus layer's outcome of one runtime message (roothash `MessageEvent`; code 0 = success). */
export interface MessageResult {
  module: string;
  code: number;
  /** The message's index among those its round emitted. */
  index: number;
  /** CBOR result of a successful message. */
  result: Uint8Array;
}

/** One MKVS write: a null value removes the key. */
export type WriteLogEntry = [key: Uint8Array, value: Uint8Array | null];

/** Roots and hashes the executor commits to (oasis-core ComputeResultsHeader). */
export interface ComputeResultsHeader {
  round: bigint;
  io_root: Uint8Array;
  state_root: Uint8Array;
  messages_hash: Uint8Array;
  in_msgs_hash: Uint8Array;
  in_msgs_count: number;
}

/** Result of executing a batch. */
export interface RuntimeExecuteTxBatchResponse {
  header: ComputeResultsHeader;
  io_write_log: WriteLogEntry[];
  state_write_log: WriteLogEntry[];
  /** Outgoing consensus messages (roothash message.Message: `{staking: {v, transfer|withdraw}}` …). */
  messages: CborValue[];
  /** CBOR CallResult of each input transaction, in input order. */
  results: Uint8Array[];
  /** SHA-512/256 of each input transaction, in input order. */
  tx_hashes: Uint8Array[];
}

/** A read-only query against a state root. */
export interface RuntimeQueryRequest extends BlockContext {
  method: string;
  args: CborValue;
}

/** Query result (inline CBOR). */
export interface RuntimeQueryResponse {
  data: CborValue;
}

/**
 * Runtime → host: a page of the entries under a state root, so a restarted runtime can rebuild state it
 * lost (the host keeps verified state). Entries come in ascending key order, strictly after `after`.
 */
export interface HostStorageSyncRequest {
  root: Uint8Array;
  after?: Uint8Array;
  limit: number;
}

/** A page of state entries. */
export interface HostStorageSyncResponse {
  entries: Array<[Uint8Array, Uint8Array]>;
}

/**
 * Runtime → host: the write logs that lead from a root the runtime holds (`from`) to one it lacks (`to`),
 * oldest first, as the host applied them (its own executions and rounds it followed from peers' logs), so
 * a runtime that did not execute a round catches up without a whole-state sync. Refused (state
 * unavailable) when the host kept no such chain; the runtime then syncs pages.
 */
export interface HostStorageDiffRequest {
  from: Uint8Array;
  to: Uint8Array;
}

/** The write logs from `from` to `to`, to apply in order. */
export interface HostStorageDiffResponse {
  write_logs: WriteLogEntry[][];
}

const hash = bytes(HASH_SIZE);

const versionDecoder: Decoder<Version> = struct({
  major: optional(uint),
  minor: optional(uint),
  patch: optional(uint),
});

const blockContextFields = {
  round: u64,
  state_root: hash,
  consensus_height: u64,
  epoch: u64,
};

/** Decodes one write log entry `[key, value | null]`. */
export const writeLogEntry: Decoder<WriteLogEntry> = (value, path) => {
  if (!Array.isArray(value) || value.length !== 2) throw new CodecError(path, 'expected [key, value]');
  const key = bytes()(value[0]!, `${path}[0]`);
  const v = value[1] === null ? null : bytes()(value[1]!, `${path}[1]`);
  return [key, v];
};

const entryPair: Decoder<[Uint8Array, Uint8Array]> = (value, path) => {
  const [key, v] = writeLogEntry(value, path);
  if (v === null) throw new CodecError(`${path}[1]`, 'expected a value, got null');
  return [key, v];
};

const protocolErrorDecoder: Decoder<ProtocolError> = struct({
  module: optional(text),
  code: optional(uint),
  message: optional(text),
});

const incomingMessageDecoder: Decoder<IncomingMessage> = struct({
  id: u64,
  caller: bytes(ADDRESS_SIZE),
  tag: u64,
  fee: quantity,
  tokens: quantity,
  data: bytes(),
});

const messageResultDecoder: Decoder<MessageResult> = struct({
  module: text,
  code: uint,
  index: uint,
  result: bytes(),
});

const empty = struct({});

/** Strict decoders of every body kind, keyed by the body's single map key. */
export const BodyDecoders = Object.freeze({
  Empty: empty,
  Error: protocolErrorDecoder,
  RuntimeInfoRequest: struct({
    runtime_id: hash,
    consensus_backend: text,
    consensus_protocol_version: versionDecoder,
    consensus_chain_context: text,
    local_config: optional(anyValue),
  }) as Decoder<RuntimeInfoRequest>,
  RuntimeInfoResponse: struct({
    protocol_version: versionDecoder,
    runtime_version: versionDecoder,
    features: optional(anyValue),
  }) as Decoder<RuntimeInfoResponse>,
  RuntimePingRequest: empty,
  RuntimeAbortRequest: empty,
  RuntimeCheckTxBatchRequest: struct({
    ...blockContextFields,
    inputs: arrayOf(bytes()),
  }) as Decoder<RuntimeCheckTxBatchRequest>,
  RuntimeCheckTxBatchResponse: struct({
    results: arrayOf(
      struct({
        error: protocolErrorDecoder,
        meta: optional(struct({ priority: u64, sender: bytes(), sender_seq: u64 })),
      }),
    ),
  }) as Decoder<RuntimeCheckTxBatchResponse>,
  RuntimeExecuteTxBatchRequest: struct({
    ...blockContextFields,
    timestamp: u64,
    max_messages: uint,
    inputs: arrayOf(bytes()),
    in_msgs: arrayOf(incomingMessageDecoder),
    message_results: optional(arrayOf(messageResultDecoder)),
  }) as Decoder<RuntimeExecuteTxBatchRequest>,
  RuntimeExecuteTxBatchResponse: struct({
    header: struct({
      round: u64,
      io_root: hash,
      state_root: hash,
      messages_hash: hash,
      in_msgs_hash: hash,
      in_msgs_count: uint,
    }),
    io_write_log: arrayOf(writeLogEntry),
    state_write_log: arrayOf(writeLogEntry),
    messages: arrayOf(anyValue),
    results: arrayOf(bytes()),
    tx_hashes: arrayOf(hash),
  }) as Decoder<RuntimeExecuteTxBatchResponse>,
  RuntimeQueryRequest: struct({
    ...blockContextFields,
    method: text,
    args: anyValue,
  }) as Decoder<RuntimeQueryRequest>,
  RuntimeQueryResponse: struct({ data: anyValue }) as Decoder<RuntimeQueryResponse>,
  HostStorageSyncRequest: struct({
    root: hash,
    after: optional(bytes()),
    limit: uint,
  }) as Decoder<HostStorageSyncRequest>,
  HostStorageSyncResponse: struct({ entries: arrayOf(entryPair) }) as Decoder<HostStorageSyncResponse>,
  HostStorageDiffRequest: struct({ from: hash, to: hash }) as Decoder<HostStorageDiffRequest>,
  HostStorageDiffResponse: struct({
    write_logs: arrayOf(arrayOf(writeLogEntry)),
  }) as Decoder<HostStorageDiffResponse>,
  /** Runtime → host: a key pair from the runtime's key manager (see keymanager.ts). */
  HostKeyManagerRequest: runtimeKeyRequestDecoder,
  HostKeyManagerResponse: keyPairDecoder,
});

/** Every body kind the protocol knows. */
export type BodyKind = keyof typeof BodyDecoders;

/** The payload type of each body kind. */
export type BodyOf<K extends BodyKind> = ReturnType<(typeof BodyDecoders)[K]>;

/** The response kind each request kind expects (besides `Error`). */
export const ResponseKind = Object.freeze({
  RuntimeInfoRequest: 'RuntimeInfoResponse',
  RuntimePingRequest: 'Empty',
  RuntimeAbortRequest: 'Empty',
  RuntimeCheckTxBatchRequest: 'RuntimeCheckTxBatchResponse',
  RuntimeExecuteTxBatchRequest: 'RuntimeExecuteTxBatchResponse',
  RuntimeQueryRequest: 'RuntimeQueryResponse',
  HostStorageSyncRequest: 'HostStorageSyncResponse',
  HostStorageDiffRequest: 'HostStorageDiffResponse',
  HostKeyManagerRequest: 'HostKeyManagerResponse',
} as const);

/** Request kinds. */
export type RequestKind = keyof typeof ResponseKind;

/** The response payload type of a request kind. */
export type ResponseOf<K extends RequestKind> = BodyOf<(typeof ResponseKind)[K]>;
