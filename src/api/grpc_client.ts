/**
 * A CBOR gRPC client for `internal.sock`, used by the operator CLI (`-a unix:DATADIR/internal.sock`).
 * Coded errors come back as `CodedError` with the node's `{module, code}`.
 */
import * as grpc from '@grpc/grpc-js';
import { type CborValue, decodeCanonical, encodeCanonical } from '../codec/cbor.ts';
import { CodedError } from '../errors.ts';
import { decodeStatusDetails } from './errors.ts';
import { MAX_GRPC_MESSAGE_BYTES } from './grpc_server.ts';

/** Stands for "no request": grpc-js would skip an `undefined` message, oasis-core expects an empty one. */
const EMPTY_REQUEST = Symbol('empty request');
const serialize = (value: unknown): Buffer =>
  value === EMPTY_REQUEST ? Buffer.alloc(0) : Buffer.from(encodeCanonical(value));
/** grpc-js treats a decoded `null`/`undefined` as "no message", so empty and null replies travel as these. */
const EMPTY_REPLY = Symbol('empty reply');
const NULL_REPLY = Symbol('null reply');
const deserialize = (bytes: Buffer): unknown => {
  if (bytes.length === 0) return EMPTY_REPLY;
  const value = decodeCanonical(new Uint8Array(bytes), MAX_GRPC_MESSAGE_BYTES);
  return value === null ? NULL_REPLY : value;
};
const replyValue = (value: unknown): CborValue | undefined =>
  value === EMPTY_REPLY ? undefined : value === NULL_REPLY ? null : (value as CborValue);

function codedFromStatus(err: grpc.ServiceError): CodedError | undefined {
  const bin = err.metadata?.get('grpc-status-details-bin')[0];
  if (!(bin instanceof Buffer)) return undefined;
  const detail = decodeStatusDetails(new Uint8Array(bin));
  return detail ? new CodedError(detail.module, detail.code, err.details) : undefined;
}

/** Why a socket refused us, in words (grpc-js reports the errno inside a long transport message). */
const CONNECT_ERRORS: Record<string, string> = {
  ENOENT: 'no such socket',
  ECONNREFUSED: 'nothing listens on the socket',
  EACCES: 'permission denied',
};

/**
 * The error for a node that could not be reached at all, naming the address and the likely cause instead of
 * grpc-js's transport message.
 */
export function unreachableError(address: string, details: string): Error {
  const errno = /\b(E[A-Z]+)\b/.exec(details)?.[1];
  const cause = errno ? (CONNECT_ERRORS[errno] ?? errno) : 'no connection';
  return new Error(
    `cannot reach a node at ${address} (${cause}); is the node running, and is this its internal.sock?`,
  );
}

/** A client of one node's internal socket. */
export class NodeClient {
  readonly #client: grpc.Client;
  readonly #address: string;

  /** `address` is `unix:/path/to/internal.sock` (or `unix:relative`). */
  constructor(address: string) {
    this.#address = address;
    this.#client = new grpc.Client(address, grpc.credentials.createInsecure(), {
      'grpc.max_receive_message_length': MAX_GRPC_MESSAGE_BYTES,
      'grpc.max_send_message_length': MAX_GRPC_MESSAGE_BYTES,
    });
  }

  /** Calls a unary method, e.g. `call('oasis-core.Staking', 'Account', {owner, height: 0})`. */
  call<T = CborValue | undefined>(
    service: string,
    method: string,
    request?: unknown,
    timeoutMs = 60_000,
  ): Promise<T> {
    return new Promise((resolve, reject) => {
      this.#client.makeUnaryRequest(
        `/${service}/${method}`,
        serialize,
        deserialize,
        request ?? EMPTY_REQUEST,
        new grpc.Metadata(),
        { deadline: Date.now() + timeoutMs },
        (err, value) => {
          if (err?.code === grpc.status.UNAVAILABLE) reject(unreachableError(this.#address, err.details));
          else if (err)
            reject(codedFromStatus(err) ?? new Error(`${service}/${method}: ${err.details || err.message}`));
          else resolve(replyValue(value) as T);
        },
      );
    });
  }

  /** Calls a server-streaming method; the iterator ends when the server ends the stream. */
  async *stream<T = CborValue>(service: string, method: string, request?: unknown): AsyncIterable<T> {
    const call = this.#client.makeServerStreamRequest(
      `/${service}/${method}`,
      serialize,
      deserialize,
      request ?? EMPTY_REQUEST,
    );
    try {
      for await (const item of call) yield replyValue(item) as T;
    } catch (err) {
      throw codedFromStatus(err as grpc.ServiceError) ?? err;
    } finally {
      call.cancel();
    }
  }

  /** Closes the channel. */
  close(): void {
    this.#client.close();
  }
}
