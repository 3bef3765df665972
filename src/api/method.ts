/**
 * API methods as one table both servers dispatch from: the gRPC server on `internal.sock` and the
 * gRPC-web server on TCP serve the same handlers, so a conformance test against one holds for the other.
 * Paths are oasis-core's: `/oasis-core.<Service>/<Method>`; payloads are CBOR values.
 */
import type { CborValue } from '../codec/cbor.ts';

/** Context of one call (who is asking, and a signal that fires when the caller goes away). */
export interface CallContext {
  /** `grpc` (local socket, operator) or `grpc-web` (TCP, clients). */
  transport: 'grpc' | 'grpc-web';
  signal: AbortSignal;
}

interface MethodBase {
  /** Service name, e.g. `oasis-core.Staking`. */
  service: string;
  /** Method name, e.g. `Account`. */
  name: string;
  /** False for methods that change the node (NodeController writes): not served over gRPC-web. */
  public: boolean;
}

/** A request/response method. The request is `undefined` for an empty message. */
export interface UnaryMethod extends MethodBase {
  kind: 'unary';
  handler: (request: CborValue | undefined, ctx: CallContext) => Promise<unknown>;
}

/** A server-streaming method: one request, a stream of responses until the iterable ends or the caller leaves. */
export interface StreamMethod extends MethodBase {
  kind: 'stream';
  handler: (request: CborValue | undefined, ctx: CallContext) => AsyncIterable<unknown>;
}

/** Any API method. */
export type ApiMethod = UnaryMethod | StreamMethod;

/** A unary method of `service` (public, i.e. also served over gRPC-web, unless told otherwise). */
export function unaryMethod(
  service: string,
  name: string,
  handler: UnaryMethod['handler'],
  isPublic = true,
): UnaryMethod {
  return { service, name, kind: 'unary', public: isPublic, handler };
}

/** The full gRPC path of a method. */
export function methodPath(m: Pick<ApiMethod, 'service' | 'name'>): string {
  return `/${m.service}/${m.name}`;
}

/** Told of every call either server dispatches (metrics): the method's path, its duration, and its outcome. */
export interface CallObserver {
  /** A unary call ended, or a stream ended (its duration is the stream's lifetime). */
  called(path: string, seconds: number, ok: boolean): void;
  /** A stream sent one item. */
  streamWrite(path: string): void;
}

/** `m` with its handler reporting to `observer`. */
function observed(m: ApiMethod, observer: CallObserver): ApiMethod {
  const path = methodPath(m);
  if (m.kind === 'unary') {
    const inner = m.handler;
    return {
      ...m,
      handler: async (request, ctx) => {
        const start = performance.now();
        let ok = false;
        try {
          const result = await inner(request, ctx);
          ok = true;
          return result;
        } finally {
          observer.called(path, (performance.now() - start) / 1000, ok);
        }
      },
    };
  }
  const inner = m.handler;
  return {
    ...m,
    handler: async function* (request, ctx) {
      const start = performance.now();
      let ok = false;
      try {
        for await (const item of inner(request, ctx)) {
          observer.streamWrite(path);
          yield item;
        }
        ok = true;
      } finally {
        observer.called(path, (performance.now() - start) / 1000, ok);
      }
    },
  };
}

/** Methods by path; services register theirs here and both servers read it. */
export class ApiRegistry {
  readonly #methods = new Map<string, ApiMethod>();
  #observer: CallObserver | undefined;

  /** Adds methods; a path registered twice is a programming error. */
  register(...methods: ApiMethod[]): void {
    for (const m of methods) {
      const path = methodPath(m);
      if (this.#methods.has(path)) throw new Error(`API method ${path} registered twice`);
      this.#methods.set(path, this.#observer ? observed(m, this.#observer) : m);
    }
  }

  /** Reports every call of every method, registered so far or later, to `observer` (one observer). */
  observeCalls(observer: CallObserver): void {
    if (this.#observer) throw new Error('API calls are already observed');
    this.#observer = observer;
    for (const [path, m] of this.#methods) this.#methods.set(path, observed(m, observer));
  }

  /** The method at `path`, if any. */
  get(path: string): ApiMethod | undefined {
    return this.#methods.get(path);
  }

  /** All methods, grouped per service in registration order. */
  all(): ApiMethod[] {
    return [...this.#methods.values()];
  }
}
