/**
 * The driver's view of the outside world, kept to small interfaces so the same driver runs over libp2p and
 * the wall clock in a node, and over the simulator's in-memory network and virtual clock in tests.
 */
import type { ConsensusMessage } from './messages.ts';

/** Sends consensus messages to peers (identified by opaque strings). */
export interface ConsensusTransport {
  /** Sends to every connected peer (not back to ourselves). */
  broadcast(message: ConsensusMessage): void;
  /** Sends to one peer. */
  send(peer: string, message: ConsensusMessage): void;
}

/** Time and timers. */
export interface Clock {
  /** Current time, unix milliseconds. */
  now(): number;
  /** Calls `fn` after `delayMs`; returns a function that cancels it. */
  schedule(delayMs: number, fn: () => void): () => void;
}

/** Where transactions to propose come from. */
export interface Mempool {
  /** Candidate transactions, at most `maxBytes` in total, in priority order. */
  reap(maxBytes: number): Uint8Array[];
  /** Drops transactions that a committed block included. */
  update(committed: readonly Uint8Array[]): void;
}

/** Logs the driver's notable events; absent means silent. */
export interface DriverLogger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}
