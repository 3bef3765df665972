/**
 * The Ethereum JSON-RPC endpoint: HTTP POST and WebSocket (an upgrade on the same port) in front of one
 * `JsonRpcHandler`. A body over `maxRequestBytes` is refused before it is read whole (HTTP 413; a WebSocket
 * message over it closes the connection), and each WebSocket connection holds its own subscriptions,
 * cancelled when it closes.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type WebSocket, WebSocketServer } from 'ws';
import { createLimitedServer, DEFAULT_HTTP_LIMITS } from '../http_limits.ts';
import type { Web3Backend } from './backend.ts';
import { RpcErrors } from './errors.ts';
import type { FilterLimits } from './filters.ts';
import type { SubscriptionSink } from './method.ts';
import { web3Methods } from './methods.ts';
import { JsonRpcHandler, type RpcLimits } from './rpc.ts';

/** Bounds on what clients may ask. */
export interface Web3Limits extends RpcLimits, FilterLimits {
  /** Largest request body (HTTP) or message (WebSocket). */
  maxRequestBytes: number;
  /** Most subscriptions one WebSocket connection may hold. */
  maxSubscriptions: number;
}

/** Defaults: geth's 5 MiB body limit, ethers' batch size, 10,000 logs, 100,000 blocks per log query. */
export const DEFAULT_WEB3_LIMITS: Web3Limits = Object.freeze({
  maxRequestBytes: 5 * 1024 * 1024,
  maxBatch: 100,
  maxBlockRange: 100_000n,
  maxResults: 10_000,
  maxFilters: 1000,
  idleMs: 5 * 60_000,
  maxSubscriptions: 100,
});

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'POST, OPTIONS',
  'access-control-allow-headers': 'content-type',
};

/** The HTTP and WebSocket JSON-RPC server. */
export class Web3Server {
  readonly #handler: JsonRpcHandler;
  readonly #limits: Web3Limits;
  readonly #http: Server;
  readonly #ws: WebSocketServer;

  constructor(
    backend: Web3Backend,
    limits: Web3Limits = DEFAULT_WEB3_LIMITS,
    onInternalError: (method: string, err: unknown) => void = () => {},
  ) {
    this.#limits = limits;
    this.#handler = new JsonRpcHandler(web3Methods(backend, limits), limits, onInternalError);
    this.#http = createLimitedServer(DEFAULT_HTTP_LIMITS, (req, res) => void this.#onHttp(req, res));
    this.#ws = new WebSocketServer({ noServer: true, maxPayload: limits.maxRequestBytes });
    this.#http.on('upgrade', (req, socket, head) => {
      this.#ws.handleUpgrade(req, socket, head, (ws) => this.#onConnection(ws));
    });
  }

  /** Listens on `host:port`; resolves with the `http://` URL. */
  listen(port: number, host: string): Promise<string> {
    return new Promise((resolve, reject) => {
      this.#http.once('error', reject);
      this.#http.listen(port, host, () => {
        this.#http.off('error', reject);
        const a = this.#http.address() as AddressInfo;
        resolve(`http://${a.address}:${a.port}`);
      });
    });
  }

  /** Stops serving and closes every connection. */
  async close(): Promise<void> {
    for (const c of this.#ws.clients) c.terminate();
    await new Promise<void>((resolve) => this.#ws.close(() => resolve()));
    this.#http.closeAllConnections();
    await new Promise<void>((resolve) => this.#http.close(() => resolve()));
  }

  async #onHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method === 'OPTIONS') {
      res.writeHead(204, CORS).end();
      return;
    }
    if (req.method !== 'POST') {
      res.writeHead(405, { ...CORS, allow: 'POST, OPTIONS' }).end('method not allowed\n');
      return;
    }
    const body = await this.#readBody(req);
    if (body === undefined) {
      const error = RpcErrors.invalidRequest(
        `request body too large (limit ${this.#limits.maxRequestBytes} bytes)`,
      );
      res
        .writeHead(413, { ...CORS, 'content-type': 'application/json', connection: 'close' })
        .end(JSON.stringify({ jsonrpc: '2.0', id: null, error: error.toJson() }));
      req.destroy();
      return;
    }
    const answer = await this.#handler.handle(body, {});
    res.writeHead(200, { ...CORS, 'content-type': 'application/json' }).end(answer ?? '');
  }

  /** The body as text; undefined once it exceeds the limit (reading stops there). */
  #readBody(req: IncomingMessage): Promise<string | undefined> {
    const max = this.#limits.maxRequestBytes;
    if (Number(req.headers['content-length'] ?? 0) > max) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > max) {
          req.removeAllListeners('data');
          resolve(undefined);
          return;
        }
        chunks.push(c);
      });
      req.on('end', () => resolve(size > max ? undefined : Buffer.concat(chunks).toString('utf8')));
      req.on('error', () => resolve(undefined));
    });
  }

  #onConnection(ws: WebSocket): void {
    const subs = new Map<string, () => void>();
    const max = this.#limits.maxSubscriptions;
    const sink: SubscriptionSink = {
      notify: (id, result) => {
        if (ws.readyState === ws.OPEN)
          ws.send(
            JSON.stringify({
              jsonrpc: '2.0',
              method: 'eth_subscription',
              params: { subscription: id, result },
            }),
          );
      },
      add: (id, cancel) => {
        if (subs.size >= max) {
          cancel();
          throw RpcErrors.limit(`too many subscriptions on this connection (${max})`);
        }
        subs.set(id, cancel);
      },
      remove: (id) => {
        const cancel = subs.get(id);
        if (cancel === undefined) return false;
        cancel();
        subs.delete(id);
        return true;
      },
    };
    ws.on('message', async (raw) => {
      const answer = await this.#handler.handle(raw.toString(), { subscriptions: sink });
      if (answer !== undefined && ws.readyState === ws.OPEN) ws.send(answer);
    });
    ws.on('close', () => {
      for (const cancel of subs.values()) cancel();
      subs.clear();
    });
  }
}
