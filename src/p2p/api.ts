/**
 * The network as the rest of the node sees it: topic gossip (transactions, consensus messages) and
 * request/response (catch-up: votes, blocks with commits). libp2p is one implementation, an in-memory
 * network another; consumers never import libp2p.
 */

import { namedError } from '../errors.ts';

/** A peer, named by the hex of its 32-byte Ed25519 P2P public key (the node descriptor's `p2p.id`). */
export type PeerKey = string;

/** A gossip message as delivered to a subscriber. */
export interface GossipMessage {
  /** The peer that relayed it to us. */
  from: PeerKey;
  topic: string;
  data: Uint8Array;
}

/**
 * Verdict of a gossip subscriber: `accept` relays the message on, `ignore` drops it quietly (e.g. a
 * duplicate), `reject` drops it and counts against the peer that sent it.
 */
export type GossipVerdict = 'accept' | 'ignore' | 'reject';

/** Handles one gossip message; its verdict decides relaying and peer scoring. */
export type GossipHandler = (msg: GossipMessage) => GossipVerdict | Promise<GossipVerdict>;

/** Answers one request; throwing answers with an error frame and counts against the peer if it was bad input. */
export type RequestHandler = (from: PeerKey, request: Uint8Array) => Promise<Uint8Array>;

/** Size limits applied to everything received. */
export interface P2PLimits {
  /** Largest gossip message. */
  maxGossipBytes: number;
  /** Largest request or response. */
  maxRequestBytes: number;
  /** Request timeout. */
  requestTimeoutMs: number;
}

/** Defaults: a 4 MiB block fits a response; gossip carries transactions and votes. */
export const DEFAULT_P2P_LIMITS: P2PLimits = Object.freeze({
  maxGossipBytes: 1024 * 1024,
  maxRequestBytes: 8 * 1024 * 1024,
  requestTimeoutMs: 10_000,
});

/** Raised when a peer answers a request with an error or not at all. */
export class RequestError extends namedError('RequestError') {}

/** A node's network endpoint. */
export interface P2PHost {
  /** Our own key. */
  readonly self: PeerKey;
  /** Starts listening and connects to the configured peers. */
  start(): Promise<void>;
  /** Closes every connection. */
  stop(): Promise<void>;
  /** Addresses other nodes can dial us at (e.g. `/ip4/127.0.0.1/tcp/26656/p2p/…`). */
  listenAddresses(): string[];
  /** Dials a peer by address and keeps the connection. */
  connect(address: string): Promise<void>;
  /** Peers currently connected. */
  peers(): PeerKey[];
  /** Subscribes to a gossip topic (one handler per topic). */
  subscribe(topic: string, handler: GossipHandler): void;
  /** Publishes on a topic to connected peers (no error when nobody listens). */
  publish(topic: string, data: Uint8Array): Promise<void>;
  /** Serves a request/response protocol. */
  handle(protocol: string, handler: RequestHandler): void;
  /** Sends a request to one peer and waits for its answer. */
  request(peer: PeerKey, protocol: string, data: Uint8Array): Promise<Uint8Array>;
  /** Counts bad behaviour against a peer; past a threshold it is disconnected and banned for a while. */
  penalize(peer: PeerKey, reason: string): void;
}
