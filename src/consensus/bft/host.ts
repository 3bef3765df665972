/**
 * The driver's view of the outside world, kept to small interfaces so the same driver runs over libp2p and
 * the wall clock in a node, and over the simulator's in-memory network and virtual clock in tests.
 */
import type { Misbehavior } from '../api/application.ts';
import type { Vote } from '../api/vote.ts';
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

/**
 * Duplicate-vote evidence as the driver needs it; the node wires the evidence pool in behind it. Blocks
 * carry evidence as opaque bytes, so the driver never interprets it itself.
 */
export interface EvidenceHandler {
  /** Two conflicting signed votes by one validator were seen. */
  conflictingVotes(first: Vote, second: Vote): void;
  /** Encoded evidence to include in the next proposed block, at most `maxBytes` in total. */
  pending(maxBytes: number): Uint8Array[];
  /** Why a proposed next block's evidence list is unacceptable, or null when every item is valid. */
  problem(evidence: Uint8Array[]): string | null;
  /** The misbehaviour that (already verified) evidence of a decided block proves, for the application. */
  misbehavior(evidence: Uint8Array[]): Misbehavior[];
  /** The block at `height`, carrying `evidence`, was committed. */
  committed(evidence: Uint8Array[], height: number): void;
}
