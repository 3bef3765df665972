/**
 * Native gRPC (HTTP/2) on the node's `internal.sock` with a CBOR codec instead of protobuf, as oasis-node
 * serves it: the socket is created with mode 0600 (it has no authentication), and every method of the
 * `ApiRegistry` is served, including the operator-only ones.
 */
import { chmodSync, existsSync, rmSync } from 'node:fs';
import * as grpc from '@grpc/grpc-js';
import { encodeCanonical } from '../codec/cbor.ts';
import { toWireError } from './errors.ts';
import { decodeRequest } from './grpc_web.ts';
import type { ApiMethod, ApiRegistry, CallContext } from './method.ts';

/** Largest message either way (oasis-core allows 100 MiB). */
export const MAX_GRPC_MESSAGE_BYTES = 100 * 1024 * 1024;

/** A void reply; grpc-js sends no message for `null`, oasis-core sends CBOR null (`f6`). */
const NULL_RESPONSE = Symbol('null response');
const serialize = (value: unknown): Buffer =>
  Buffer.from(encodeCanonical(value === NULL_RESPONSE || value === undefined ? null : value));

/**
 * grpc-js treats any falsy decoded request (`0` = latest height, `false`, an empty message) as "no
 * request", so requests travel boxed and are unboxed before the handler.
 */
const deserialize = (bytes: Buffer): unknown => ({
  value: bytes.length === 0 ? undefined : decodeRequest(new Uint8Array(bytes)),
});
const requestOf = (call: { request: unknown }) => (call.request as { value: unknown }).value as never;

function serviceDefinition(methods: ApiMethod[]): grpc.ServiceDefinition {
  const def: Record<string, grpc.MethodDefinition<unknown, unknown>> = {};
  for (const m of methods) {
    def[m.name] = {
      path: `/${m.service}/${m.name}`,
      requestStream: false,
      responseStream: m.kind === 'stream',
      requestSerialize: serialize,
      requestDeserialize: deserialize,
      responseSerialize: serialize,
      responseDeserialize: deserialize,
    };
  }
  return def;
}

function errorForGrpc(err: unknown): grpc.ServiceError {
  const wire = toWireError(err);
  const metadata = new grpc.Metadata();
  if (wire.detailsBin) metadata.set('grpc-status-details-bin', Buffer.from(wire.detailsBin));
  return Object.assign(new Error(wire.message), { code: wire.status, details: wire.message, metadata });
}

function implementation(m: ApiMethod): grpc.UntypedHandleCall {
  if (m.kind === 'unary') {
    return (call: grpc.ServerUnaryCall<unknown, unknown>, callback: grpc.sendUnaryData<unknown>) => {
      const controller = new AbortController();
      // grpc-js may report a finished call as cancelled when its stream closes: aborting then would only
      // build an AbortError (a DOMException with a stack, ~2 % of a node's CPU under load) no one reads.
      let settled = false;
      call.on('cancelled', () => {
        if (!settled) controller.abort();
      });
      const ctx: CallContext = { transport: 'grpc', signal: controller.signal };
      m.handler(requestOf(call), ctx).then(
        (result) => {
          settled = true;
          callback(null, result ?? NULL_RESPONSE);
        },
        (err) => {
          settled = true;
          callback(errorForGrpc(err));
        },
      );
    };
  }
  return (call: grpc.ServerWritableStream<unknown, unknown>) => {
    const controller = new AbortController();
    call.on('cancelled', () => controller.abort());
    const ctx: CallContext = { transport: 'grpc', signal: controller.signal };
    void (async () => {
      try {
        for await (const item of m.handler(requestOf(call), ctx)) {
          if (controller.signal.aborted) return;
          call.write(item);
        }
        call.end();
      } catch (err) {
        // grpc-js sends the status of an 'error' event; destroy() would drop it and leave the client hanging.
        call.emit('error', errorForGrpc(err));
      }
    })();
  };
}

/** The gRPC server on a UNIX socket. */
export class GrpcServer {
  readonly #server = new grpc.Server({
    'grpc.max_receive_message_length': MAX_GRPC_MESSAGE_BYTES,
    'grpc.max_send_message_length': MAX_GRPC_MESSAGE_BYTES,
  });
  readonly #socketPath: string;

  constructor(registry: ApiRegistry, socketPath: string) {
    this.#socketPath = socketPath;
    const byService = new Map<string, ApiMethod[]>();
    for (const m of registry.all()) byService.set(m.service, [...(byService.get(m.service) ?? []), m]);
    for (const methods of byService.values()) {
      const impl: grpc.UntypedServiceImplementation = {};
      for (const m of methods) impl[m.name] = implementation(m);
      this.#server.addService(serviceDefinition(methods), impl);
    }
  }

  /** Binds the socket (replacing a stale one left by a crash) and restricts it to the owner. */
  async start(): Promise<void> {
    if (existsSync(this.#socketPath)) rmSync(this.#socketPath);
    await new Promise<void>((resolve, reject) =>
      this.#server.bindAsync(`unix:${this.#socketPath}`, grpc.ServerCredentials.createInsecure(), (err) =>
        err ? reject(err) : resolve(),
      ),
    );
    chmodSync(this.#socketPath, 0o600);
  }

  /** Stops serving; in-flight calls are cancelled after a short grace period. */
  async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.#server.forceShutdown(), 2_000);
      this.#server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
    if (existsSync(this.#socketPath)) rmSync(this.#socketPath);
  }
}
