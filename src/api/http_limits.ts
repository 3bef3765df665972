/**
 * Limits every public HTTP endpoint (gRPC-web, JSON-RPC) applies so that one hostile client cannot starve the
 * node: a client that sends its headers or body byte by byte (slowloris) is cut off after a deadline, the
 * number of open connections is capped, and long-lived streams are counted per client address and in
 * total, so a flood of them is refused with a clear error instead of piling up.
 */
import { createServer, type RequestListener, type Server } from 'node:http';

/** Connection limits of an HTTP endpoint. */
export interface HttpLimits {
  /** Time a client has to send a request's headers, from its first byte. */
  headersTimeoutMs: number;
  /** Time a client has to send a whole request (headers and body). */
  requestTimeoutMs: number;
  /** Open connections at once; more are closed as soon as they are accepted. */
  maxConnections: number;
}

/** Defaults: 10 s for headers, 30 s for a request, 512 connections. */
export const DEFAULT_HTTP_LIMITS: HttpLimits = Object.freeze({
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  maxConnections: 512,
});

/** How often the deadlines are checked (Node's default of 30 s would let a slow client stay 3× too long). */
const DEADLINE_CHECK_MS = 1_000;

/** An HTTP server that enforces `limits`. */
export function createLimitedServer(limits: HttpLimits, listener: RequestListener): Server {
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: Math.max(limits.requestTimeoutMs, limits.headersTimeoutMs),
      connectionsCheckingInterval: DEADLINE_CHECK_MS,
    },
    listener,
  );
  server.maxConnections = limits.maxConnections;
  return server;
}

/** Concurrent long-lived calls (server streams, subscriptions), limited per client and in total. */
export class StreamSlots {
  readonly #perClient: number;
  readonly #total: number;
  readonly #open = new Map<string, number>();
  #count = 0;

  constructor(perClient: number, total: number) {
    this.#perClient = perClient;
    this.#total = total;
  }

  /** Takes a slot for `client`; returns its release function, or undefined when a limit is reached. */
  acquire(client: string): (() => void) | undefined {
    const mine = this.#open.get(client) ?? 0;
    if (mine >= this.#perClient || this.#count >= this.#total) return undefined;
    this.#open.set(client, mine + 1);
    this.#count++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#count--;
      const left = (this.#open.get(client) ?? 1) - 1;
      if (left === 0) this.#open.delete(client);
      else this.#open.set(client, left);
    };
  }

  /** Streams open now. */
  get open(): number {
    return this.#count;
  }
}
