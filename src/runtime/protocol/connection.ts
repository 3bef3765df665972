/**
 * One RHP connection, used the same way on both ends: the host sends `Runtime…` requests and answers
 * `Host…` requests, the runtime the other way round. Requests are correlated by id and time out; a
 * protocol violation by the peer (garbage or oversize frame, response to an id we never sent, response of
 * the wrong kind) closes the connection and fails every pending call with a coded error, never a throw.
 */
import type { Duplex } from 'node:stream';
import { CodedError } from '../../errors.ts';
import { RHP_MODULE, RhpErrorCode, rhpError } from './errors.ts';
import { encodeFrame, FrameDecoder, MAX_FRAME_SIZE } from './frame.ts';
import { decodeMessage, encodeMessage, type Message, MessageType } from './message.ts';
import {
  type BodyKind,
  type BodyOf,
  type ProtocolError,
  type RequestKind,
  ResponseKind,
  type ResponseOf,
} from './types.ts';

/** A response produced by a request handler. */
export interface HandlerResponse {
  kind: BodyKind;
  body: unknown;
}

/** Answers one request from the peer; a thrown `CodedError` becomes an `Error` body. */
export type RequestHandler = (kind: RequestKind, body: unknown) => Promise<HandlerResponse> | HandlerResponse;

/** Options of a connection. */
export interface ConnectionOptions {
  /** Handles the peer's requests (default: answer every request with an `unsupported` error). */
  onRequest?: RequestHandler;
  /** Largest frame in either direction. */
  maxFrameSize?: number;
  /** Timeout of `request` when the call gives none. */
  defaultTimeoutMs?: number;
}

interface Pending {
  expect: BodyKind;
  resolve(value: unknown): void;
  reject(err: CodedError): void;
  timer: NodeJS.Timeout;
}

/** How many timed-out ids we remember, so a late response to one is ignored rather than a fault. */
const TIMED_OUT_MEMORY = 1024;

/** Turns any error into the `Error` body sent to the peer. */
export function toProtocolError(err: unknown): ProtocolError {
  if (err instanceof CodedError) return { module: err.module, code: err.code, message: err.message };
  return {
    module: RHP_MODULE,
    code: RhpErrorCode.unsupported,
    message: String((err as Error)?.message ?? err),
  };
}

/** Turns an `Error` body from the peer into a `CodedError`. */
export function fromProtocolError(e: ProtocolError): CodedError {
  return new CodedError(e.module ?? '', e.code ?? 0, e.message ?? 'error');
}

/** A framed, correlated RHP endpoint over a byte stream (normally a UNIX socket). */
export class RhpConnection {
  readonly #socket: Duplex;
  readonly #decoder: FrameDecoder;
  readonly #maxFrame: number;
  readonly #onRequest: RequestHandler;
  readonly #defaultTimeout: number;
  readonly #pending = new Map<bigint, Pending>();
  readonly #timedOut = new Set<bigint>();
  #nextId = 0n;
  #closeReason: CodedError | null = null;
  readonly #closed: Promise<CodedError>;
  #resolveClosed!: (reason: CodedError) => void;

  constructor(socket: Duplex, options: ConnectionOptions = {}) {
    this.#socket = socket;
    this.#maxFrame = options.maxFrameSize ?? MAX_FRAME_SIZE;
    this.#decoder = new FrameDecoder(this.#maxFrame);
    this.#defaultTimeout = options.defaultTimeoutMs ?? 30_000;
    this.#onRequest =
      options.onRequest ??
      ((kind) => {
        throw rhpError(RhpErrorCode.unsupported, `request ${kind} is not supported`);
      });
    this.#closed = new Promise((resolve) => {
      this.#resolveClosed = resolve;
    });
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('error', (err) =>
      this.close(rhpError(RhpErrorCode.runtimeDied, `connection error: ${err.message}`)),
    );
    socket.on('close', () => this.close(rhpError(RhpErrorCode.runtimeDied, 'connection closed by peer')));
  }

  /** Resolves with the reason once the connection is closed (by either side or by a fault). */
  get closed(): Promise<CodedError> {
    return this.#closed;
  }

  /** True once closed. */
  get isClosed(): boolean {
    return this.#closeReason !== null;
  }

  /** Calls in flight. */
  get pendingCount(): number {
    return this.#pending.size;
  }

  /** Sends a request and resolves with the peer's typed response; rejects with a `CodedError`. */
  request<K extends RequestKind>(
    kind: K,
    body: BodyOf<K>,
    timeoutMs = this.#defaultTimeout,
  ): Promise<ResponseOf<K>> {
    if (this.#closeReason !== null) return Promise.reject(this.#closeReason);
    const id = this.#nextId++;
    let frame: Buffer;
    try {
      frame = encodeFrame(encodeMessage(id, MessageType.request, kind, body), this.#maxFrame);
    } catch (err) {
      return Promise.reject(
        err instanceof CodedError ? err : rhpError(RhpErrorCode.protocolViolation, String(err)),
      );
    }
    return new Promise<ResponseOf<K>>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (!this.#pending.delete(id)) return;
        this.#forget(id);
        reject(rhpError(RhpErrorCode.timeout, `${kind} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, {
        expect: ResponseKind[kind],
        resolve: resolve as (v: unknown) => void,
        reject,
        timer,
      });
      this.#socket.write(frame);
    });
  }

  /**
   * Fails every call in flight with `reason` but keeps the connection; their late responses are ignored.
   */
  failPending(reason: CodedError): void {
    for (const [id, p] of this.#pending) {
      clearTimeout(p.timer);
      this.#pending.delete(id);
      this.#forget(id);
      p.reject(reason);
    }
  }

  /** Closes the connection, failing every pending call with `reason`. Idempotent. */
  close(reason: CodedError): void {
    if (this.#closeReason !== null) return;
    this.#closeReason = reason;
    for (const [id, p] of this.#pending) {
      clearTimeout(p.timer);
      this.#pending.delete(id);
      p.reject(reason);
    }
    this.#socket.destroy();
    this.#resolveClosed(reason);
  }

  #forget(id: bigint): void {
    this.#timedOut.add(id);
    if (this.#timedOut.size > TIMED_OUT_MEMORY) this.#timedOut.delete(this.#timedOut.values().next().value!);
  }

  #onData(chunk: Buffer): void {
    if (this.#closeReason !== null) return;
    try {
      for (const frame of this.#decoder.push(chunk)) {
        this.#dispatch(decodeMessage(frame, this.#maxFrame));
        if (this.#closeReason !== null) return;
      }
    } catch (err) {
      const reason =
        err instanceof CodedError
          ? err
          : rhpError(RhpErrorCode.protocolViolation, String((err as Error).message));
      this.close(reason);
    }
  }

  #dispatch(msg: Message): void {
    if (msg.type === MessageType.response) {
      this.#settle(msg);
      return;
    }
    if (!Object.hasOwn(ResponseKind, msg.kind)) {
      throw rhpError(RhpErrorCode.protocolViolation, `${msg.kind} is not a request kind`);
    }
    void this.#answer(msg.id, msg.kind as RequestKind, msg.body);
  }

  #settle(msg: Message): void {
    const pending = this.#pending.get(msg.id);
    if (pending === undefined) {
      if (this.#timedOut.delete(msg.id)) return;
      throw rhpError(RhpErrorCode.protocolViolation, `response to unknown request id ${msg.id}`);
    }
    if (msg.kind !== 'Error' && msg.kind !== pending.expect) {
      throw rhpError(RhpErrorCode.protocolViolation, `expected ${pending.expect}, got ${msg.kind}`);
    }
    this.#pending.delete(msg.id);
    clearTimeout(pending.timer);
    if (msg.kind === 'Error') pending.reject(fromProtocolError(msg.body as ProtocolError));
    else pending.resolve(msg.body);
  }

  async #answer(id: bigint, kind: RequestKind, body: unknown): Promise<void> {
    let frame: Buffer;
    try {
      const out = await this.#onRequest(kind, body);
      frame = encodeFrame(
        encodeMessage(id, MessageType.response, out.kind, out.body as never),
        this.#maxFrame,
      );
    } catch (err) {
      frame = encodeFrame(
        encodeMessage(id, MessageType.response, 'Error', toProtocolError(err)),
        this.#maxFrame,
      );
    }
    if (this.#closeReason === null) this.#socket.write(frame);
  }
}
