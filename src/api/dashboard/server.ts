/**
 * The dashboard's HTTP server: the single-page app and its library files, the JSON endpoints under
 * `/api/`, and `/api/events`, a server-sent-events stream announcing each committed block so the pages
 * refresh without a reload. Read-only: it serves GET (and HEAD) only.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toHex } from '../../codec/bytes.ts';
import { type Asset, loadAssets } from './assets.ts';
import type { DashboardBackend } from './backend.ts';
import { headerOf } from './chain_reads.ts';
import { DashboardError } from './errors.ts';
import { apiRoute } from './routes.ts';

/** How often an idle event stream sends a comment, so proxies and browsers keep it open. */
const SSE_KEEPALIVE_MS = 15_000;
/** Distinct requests whose answers are kept until the next block. */
const MAX_CACHED_ANSWERS = 256;

/** JSON with bigints as decimal strings (every endpoint already renders amounts as strings). */
function jsonBody(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
}

/** The dashboard over one node's backends. */
export class DashboardServer {
  readonly #backend: DashboardBackend;
  readonly #assets: Map<string, Asset>;
  readonly #server: Server;
  readonly #streams = new Set<AbortController>();
  /** Answers at the current height by request path and query: every page polls the same few. */
  readonly #answers = new Map<string, unknown>();
  #answersHeight = -1;

  constructor(backend: DashboardBackend) {
    this.#backend = backend;
    this.#assets = loadAssets();
    this.#server = createServer((req, res) => this.#handle(req, res));
  }

  /** Listens on `host:port` (port 0: any free port); resolves with the base URL. */
  listen(address: string): Promise<string> {
    const [host, port] = address.split(':') as [string, string];
    return new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(Number(port), host, () => {
        this.#server.off('error', reject);
        const { port: bound } = this.#server.address() as AddressInfo;
        resolve(`http://${host}:${bound}/`);
      });
    });
  }

  /** Ends the event streams and closes every connection. */
  close(): Promise<void> {
    for (const stream of this.#streams) stream.abort();
    return new Promise((resolve) => {
      this.#server.closeAllConnections();
      this.#server.close(() => resolve());
    });
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://dashboard');
    if (url.pathname === '/api/events') {
      this.#events(req, res);
      return;
    }
    if (url.pathname.startsWith('/api/')) {
      this.#api(url, res);
      return;
    }
    const asset = this.#assets.get(url.pathname);
    if (!asset) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    res.writeHead(200, { 'content-type': asset.contentType, 'cache-control': 'no-cache' });
    res.end(req.method === 'HEAD' ? undefined : asset.body);
  }

  #api(url: URL, res: ServerResponse): void {
    let status = 200;
    let body: unknown;
    try {
      body = this.#answer(url);
    } catch (err) {
      const known = err instanceof DashboardError;
      status = known ? err.status : 500;
      body = { error: { code: known ? err.code : 'internal', message: (err as Error).message } };
    }
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(jsonBody(body));
  }

  /** The route's answer, computed once per height for each distinct request (bounded). */
  #answer(url: URL): unknown {
    const height = this.#backend.latestHeight();
    if (height !== this.#answersHeight || this.#answers.size >= MAX_CACHED_ANSWERS) {
      this.#answers.clear();
      this.#answersHeight = height;
    }
    const key = url.pathname + url.search;
    if (!this.#answers.has(key))
      this.#answers.set(key, apiRoute(this.#backend, url.pathname.slice('/api/'.length), url.searchParams));
    return this.#answers.get(key);
  }

  /** One `block` event per committed block: `{height, hash, time, txs}`. */
  #events(req: IncomingMessage, res: ServerResponse): void {
    const controller = new AbortController();
    this.#streams.add(controller);
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    res.write('retry: 2000\n\n');
    const keepalive = setInterval(() => res.write(': keepalive\n\n'), SSE_KEEPALIVE_MS);
    const end = () => {
      controller.abort();
      clearInterval(keepalive);
      this.#streams.delete(controller);
    };
    req.on('close', end);
    (async () => {
      for await (const block of this.#backend.watchBlocks(controller.signal)) {
        const event = {
          height: block.height,
          hash: toHex(block.hash),
          time: headerOf(block).time,
          txs: block.txs.length,
        };
        res.write(`event: block\ndata: ${jsonBody(event)}\n\n`);
      }
    })()
      .catch(() => undefined)
      .finally(() => {
        end();
        res.end();
      });
  }
}
