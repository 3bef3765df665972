/**
 * What the consensus engine needs to survive a crash at any instant: a write-ahead log of its inputs
 * (replayed after a restart) and a double-sign guard that makes contradicting an earlier signature
 * impossible, even across restarts. File-backed implementations serve real nodes; in-memory ones (with
 * simulated crashes) serve the deterministic simulator.
 */

import { namedError } from '../../errors.ts';

/** Step of a signed message, in the order the guard compares them. */
export const SignStep = Object.freeze({ propose: 1, prevote: 2, precommit: 3 } as const);
/** A step value. */
export type SignStep = (typeof SignStep)[keyof typeof SignStep];

/** Write-ahead log of consensus inputs (peer messages, timeouts, own messages), as opaque records. */
export interface ConsensusWal {
  /** Appends a record; durable at the next `flush`/`writeSync`/`endHeight`. */
  write(record: Uint8Array): void;
  /** Appends a record and makes it, and everything before it, durable. */
  writeSync(record: Uint8Array): Promise<void>;
  /** Makes everything written so far durable. */
  flush(): Promise<void>;
  /** Durably marks `height` as finished (its block and state are persisted elsewhere). */
  endHeight(height: number): Promise<void>;
  /**
   * Marks `height` as finished like `endHeight`, durable only with the next sync (the next own message's
   * `writeSync` makes it durable before anything of the next height leaves the node). Losing it in a crash
   * is harmless: recovery finds no marker for the height the block store reached and writes it then.
   */
  markEndHeight(height: number): void;
  /**
   * Records written after the `endHeight(height)` marker, in write order. `found` is false when there is
   * no such marker (nothing to replay for that height).
   */
  readAfterEndHeight(height: number): Promise<{ found: boolean; records: Uint8Array[] }>;
  /** Flushes and releases the log. */
  close(): Promise<void>;
}

/** Raised when signing would contradict (or go back behind) an earlier signature. */
export class DoubleSignError extends namedError('DoubleSignError') {}

/**
 * Signs consensus messages with the validator's consensus key, under `Contexts.consensusVote` bound to the
 * chain, only when that cannot contradict an earlier signature. The last signed (height, round, step, sign
 * bytes, signature) is persisted durably before the signature is returned.
 */
export interface DoubleSignGuard {
  /** Consensus public key of the guarded signer. */
  readonly publicKey: Uint8Array;
  /**
   * Signature over `signBytes` for (height, round, step). A strictly higher (h, r, step) than the last one
   * signs fresh; the same (h, r, step) with identical bytes returns the earlier signature; anything else
   * (a lower position, or the same position with different bytes) throws `DoubleSignError`.
   */
  sign(height: number, round: number, step: SignStep, signBytes: Uint8Array): Promise<Uint8Array>;
}
