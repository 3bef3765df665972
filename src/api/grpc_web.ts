/**
 * gRPC-web over HTTP/1.1 (what Envoy presents to `@oasisprotocol/client`): text (base64) and binary modes,
 * unary and server streaming, CORS with preflight, size limits. Dispatches to the same `ApiRegistry` as the
 * gRPC server, so the official client works against the node without a proxy.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CborValue, decodeCanonical, encodeCanonical } from '../codec/cbor.ts';
import { GrpcError, GrpcStatus, toWireError, type WireError } from './errors.ts';
import { createLimitedServer, DEFAULT_HTTP_LIMITS, type HttpLimits, StreamSlots } from './http_limits.ts';
import type { ApiRegistry, CallContext } from './method.ts';

/** How long an idle client connection is kept open. */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/** Limits of the gRPC-web endpoint. */
export interface GrpcWebConfig {
  /** Largest request body in bytes (before base64 decoding). */
  maxRequestBytes: number;
  /** Value of `Access-Control-Allow-Origin`. */
  allowOrigin: string;
  /** Header and request deadlines, open connections. */
  http: HttpLimits;
  /** Server streams (watches) open at once from one client address. */
  maxStreamsPerClient: number;
  /** Server streams open at once in total. */
  maxStreams: number;
}

/**
 * Defaults: transactions are at most 128 KiB; allow any origin (the endpoint is read and submit only); 16
 * streams per client address and 256 in all.
 */
export const DEFAULT_GRPC_WEB_CONFIG: GrpcWebConfig = Object.freeze({
  maxRequestBytes: 4 * 1024 * 1024,
  allowOrigin: '*',
  http: DEFAULT_HTTP_LIMITS,
  maxStreamsPerClient: 16,
  maxStreams: 256,
});

const CORS_HEADERS = {
  'access-control-allow-methods': 'POST, OPTIONS',
  'access-control-allow-headers': 'content-type,x-grpc-web,x-user-agent,grpc-timeout',
  'access-control-expose-headers': 'grpc-status,grpc-message,grpc-status-details-bin',
  'access-control-max-age': '600',
};

const FLAG_DATA = 0x00;
const FLAG_TRAILERS = 0x80;

function frame(flag: number, payload: Uint8Array): Buffer {
  const out = Buffer.alloc(5 + payload.length);
  out[0] = flag;
  out.writeUInt32BE(payload.length, 1);
  out.set(payload, 5);
  return out;
}

function trailerBlock(err?: WireError): Uint8Array {
  const lines = [
    `grpc-status:${err ? err.status : GrpcStatus.ok}`,
    `grpc-message:${err ? encodeURIComponent(err.message) : ''}`,
  ];
  if (err?.detailsBin)
    lines.push(`grpc-status-details-bin:${Buffer.from(err.detailsBin).toString('base64')}`);
  return new TextEncoder().encode(`${lines.join('\r\n')}\r\n`);
}

/** Decodes a text-mode body: concatenated base64 chunks, each possibly padded. */
function decodeTextBody(body: Buffer): Buffer {
  const text = body.toString('latin1').replace(/\s+/g, '');
  const parts: Buffer[] = [];
  for (let i = 0; i < text.length; i += 4) parts.push(Buffer.from(text.slice(i, i + 4), 'base64'));
  return Buffer.concat(parts);
}

/** Extracts the single request message from gRPC-web frames (empty body = empty message). */
function requestMessage(body: Buffer): Uint8Array {
  if (body.length === 0) return new Uint8Array(0);
  if (body.length < 5 || body[0] !== FLAG_DATA)
    throw new GrpcError(GrpcStatus.invalidArgument, 'malformed gRPC-web frame');
  const len = body.readUInt32BE(1);
  if (body.length < 5 + len) throw new GrpcError(GrpcStatus.invalidArgument, 'truncated gRPC-web frame');
  return new Uint8Array(body.subarray(5, 5 + len));
}

/** Decodes a CBOR request payload; an empty message is `undefined`, as oasis-core treats it as nil. */
export function decodeRequest(payload: Uint8Array): CborValue | undefined {
  if (payload.length === 0) return undefined;
  try {
    return decodeCanonical(payload);
  } catch (err) {
    throw new GrpcError(GrpcStatus.invalidArgument, `malformed request: ${(err as Error).message}`);
  }
}

/** The request of a gRPC-web POST body (binary or text mode); `GrpcError` (invalid argument) when malformed. */
export function decodeRequestBody(body: Buffer, textMode: boolean): CborValue | undefined {
  return decodeRequest(requestMessage(textMode ? decodeTextBody(body) : body));
}

/** The gRPC-web HTTP server. */
export class GrpcWebServer {
  readonly #registry: ApiRegistry;
  readonly #config: GrpcWebConfig;
  readonly #server: Server;
  readonly #streams: StreamSlots;

  constructor(registry: ApiRegistry, config: Partial<GrpcWebConfig> = {}) {
    this.#registry = registry;
    this.#config = { ...DEFAULT_GRPC_WEB_CONFIG, ...config };
    this.#streams = new StreamSlots(this.#config.maxStreamsPerClient, this.#config.maxStreams);
    this.#server = createLimitedServer(this.#config.http, (req, res) => void this.#handle(req, res));
    // Clients (browsers, Node's keep-alive agent) reuse idle connections; a short server-side idle timeout
    // races with that reuse and shows up as ECONNRESET on the client's next call. The header and request
    // deadlines only run while a request is being received, so they can be short (slowloris).
    this.#server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  }

  /** Listens on `host:port` (port 0 picks a free one); resolves to the base URL clients use. */
  listen(port: number, host = '127.0.0.1'): Promise<string> {
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(port, host, () => {
        const addr = this.#server.address() as AddressInfo;
        resolve(`http://${host}:${addr.port}`);
      });
    });
  }

  /** Stops accepting connections and closes open ones. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.#server.closeAllConnections();
      this.#server.close(() => resolve());
    });
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const cors = { ...CORS_HEADERS, 'access-control-allow-origin': this.#config.allowOrigin };
    if (req.method === 'OPTIONS') {
      res.writeHead(204, cors).end();
      return;
    }
    const contentType = String(req.headers['content-type'] ?? '');
    const textMode = contentType.startsWith('application/grpc-web-text');
    if (req.method !== 'POST' || !contentType.startsWith('application/grpc-web')) {
      res.writeHead(415, { ...cors, 'content-type': 'text/plain' }).end('expected a gRPC-web POST\n');
      return;
    }
    const replyType = textMode ? 'application/grpc-web-text+proto' : 'application/grpc-web+proto';
    const write = (flag: number, payload: Uint8Array) => {
      const f = frame(flag, payload);
      res.write(textMode ? f.toString('base64') : f);
    };
    const controller = new AbortController();
    res.on('close', () => controller.abort());
    const ctx: CallContext = { transport: 'grpc-web', signal: controller.signal };
    res.writeHead(200, { ...cors, 'content-type': replyType });
    try {
      const body = await this.#readBody(req);
      const method = this.#registry.get(req.url?.split('?')[0] ?? '');
      if (!method) throw new GrpcError(GrpcStatus.unimplemented, `unknown method ${req.url}`);
      if (!method.public)
        throw new GrpcError(GrpcStatus.permissionDenied, 'method not available over gRPC-web');
      const request = decodeRequestBody(body, textMode);
      if (method.kind === 'unary') {
        const result = await method.handler(request, ctx);
        write(FLAG_DATA, encodeCanonical(result ?? null));
      } else {
        const release = this.#streams.acquire(req.socket.remoteAddress ?? '');
        if (!release) throw new GrpcError(GrpcStatus.resourceExhausted, 'too many open streams');
        try {
          for await (const item of method.handler(request, ctx)) {
            if (controller.signal.aborted) break;
            write(FLAG_DATA, encodeCanonical(item));
          }
        } finally {
          release();
        }
      }
      write(FLAG_TRAILERS, trailerBlock());
    } catch (err) {
      write(FLAG_TRAILERS, trailerBlock(toWireError(err)));
      if (!req.complete) res.once('finish', () => req.socket.destroy());
    }
    res.end();
  }

  #readBody(req: IncomingMessage): Promise<Buffer> {
    const limit = Math.ceil((this.#config.maxRequestBytes * 4) / 3) + 16;
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > limit) {
          // Stop reading; the error is answered, then the connection is dropped (see #handle).
          req.pause();
          reject(
            new GrpcError(
              GrpcStatus.resourceExhausted,
              `request larger than ${this.#config.maxRequestBytes} bytes`,
            ),
          );
          return;
        }
        chunks.push(c);
      });
      req.on('end', () => resolve(Buffer.concat(chunks)));
      req.on('error', reject);
    });
  }
}
