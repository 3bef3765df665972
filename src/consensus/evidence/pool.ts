/**
 * The evidence pool: collects verified evidence — duplicate votes from the engine's own equivocation
 * detection, and either kind submitted from outside (`SubmitEvidence`, light clients) — offers it to the proposer until it is committed or expires, and remembers
 * what was committed so no offence is punished twice. Conflicting votes of a height not yet committed
 * wait in a buffer until that height is, since evidence may only name committed heights.
 */
import { toHex } from '../../codec/bytes.ts';
import type { Misbehavior } from '../api/application.ts';
import {
  type DuplicateVoteEvidence,
  duplicateVoteEvidence,
  encodeEvidence,
  evidenceHash,
} from '../api/evidence.ts';
import type { Vote } from '../api/vote.ts';
import {
  type AnyEvidence,
  type AnyEvidenceContext,
  anyEvidenceHeight,
  decodeAnyEvidence,
  verifyAnyEvidence,
} from './any_evidence.ts';
import { evidenceError } from './errors.ts';
import { toMisbehavior } from './misbehavior.ts';
import { isExpired } from './verify.ts';

/** What the pool needs from the chain; `currentHeight` is the latest committed height at start. */
export interface EvidencePoolOptions extends Omit<AnyEvidenceContext, 'alreadyCommitted'> {
  /** Evidence committed before this pool existed (e.g. looked up in the block store after a restart). */
  committedBefore?(hash: Uint8Array): boolean;
}

/** Outcome of adding evidence: its hash, and whether it was new to the pool. */
export interface AddEvidenceResult {
  hash: Uint8Array;
  added: boolean;
}

interface PendingEvidence {
  bytes: Uint8Array;
  hash: Uint8Array;
  height: number;
}

/** Pending and committed evidence of one node. */
export class EvidencePool {
  readonly #opts: EvidencePoolOptions;
  #height: number;
  readonly #pending = new Map<string, PendingEvidence>();
  /** Committed evidence hash → a height at or above the evidence height (for pruning once expired). */
  readonly #committed = new Map<string, number>();
  /** Own conflicting votes of heights not yet committed. */
  #waiting: DuplicateVoteEvidence[] = [];

  /** A pool starting at `opts.currentHeight`. */
  constructor(opts: EvidencePoolOptions) {
    this.#opts = opts;
    this.#height = opts.currentHeight;
  }

  /** The verification context at the pool's current height. */
  context(): AnyEvidenceContext {
    return {
      ...this.#opts,
      currentHeight: this.#height,
      alreadyCommitted: (hash) =>
        this.#committed.has(toHex(hash)) || (this.#opts.committedBefore?.(hash) ?? false),
    };
  }

  /** Number of pending (verified, uncommitted) evidences. */
  get pendingCount(): number {
    return this.#pending.size;
  }

  /**
   * Records two conflicting votes seen by the engine. Votes of a height not yet committed wait until it
   * is (`waiting` in the result); others are verified now (throws the coded rule error when invalid).
   */
  addConflictingVotes(a: Vote, b: Vote): AddEvidenceResult & { waiting: boolean } {
    const ev = duplicateVoteEvidence(a, b);
    if (ev.voteA.height > this.#height) {
      this.#waiting.push(ev);
      return { hash: evidenceHash(ev), added: false, waiting: true };
    }
    return { ...this.#add({ kind: 'duplicate-vote', evidence: ev }, encodeEvidence(ev)), waiting: false };
  }

  /** Adds evidence from outside (either kind); throws the coded rule error when malformed or invalid. */
  addEvidence(data: Uint8Array): AddEvidenceResult {
    return this.#add(decodeAnyEvidence(data), data);
  }

  /**
   * Encoded pending evidence for the proposer, oldest height first (then by hash), whose sizes sum to at
   * most `maxBytes`; evidence that does not fit is skipped.
   */
  pending(maxBytes: number): Uint8Array[] {
    const sorted = [...this.#pending.entries()].sort(
      ([ka, a], [kb, b]) => a.height - b.height || (ka < kb ? -1 : ka > kb ? 1 : 0),
    );
    const out: Uint8Array[] = [];
    let used = 0;
    for (const [, p] of sorted) {
      if (used + p.bytes.length > maxBytes) continue;
      out.push(p.bytes);
      used += p.bytes.length;
    }
    return out;
  }

  /**
   * Verifies the evidence list of a proposed block at the next height: every item valid and none twice.
   * Returns the decoded evidence; throws the coded rule error of the first bad item.
   */
  verifyBlockEvidence(list: Uint8Array[]): AnyEvidence[] {
    const ctx = this.context();
    const seen = new Set<string>();
    return list.map((data) => {
      const ev = decodeAnyEvidence(data);
      const id = toHex(verifyAnyEvidence(ev, ctx));
      if (seen.has(id)) throw evidenceError('duplicateInBlock', 'the same evidence twice in one block');
      seen.add(id);
      return ev;
    });
  }

  /**
   * Notes that the block at `height` committed the evidence `hashes`: they leave the pending set and are
   * remembered until expired. Then advances the pool to `height`, verifies waiting conflicting votes that
   * became eligible (invalid ones are dropped) and prunes expired evidence.
   */
  markCommitted(hashes: Uint8Array[], height: number): void {
    for (const hash of hashes) {
      const id = toHex(hash);
      this.#committed.set(id, this.#pending.get(id)?.height ?? height);
      this.#pending.delete(id);
    }
    this.#height = Math.max(this.#height, height);
    const ready = this.#waiting.filter((ev) => ev.voteA.height <= this.#height);
    this.#waiting = this.#waiting.filter((ev) => ev.voteA.height > this.#height);
    for (const ev of ready) {
      try {
        this.#add({ kind: 'duplicate-vote', evidence: ev }, encodeEvidence(ev));
      } catch {
        // Not provable after all (e.g. already committed by another proposer): nothing to keep.
      }
    }
    this.#prune();
  }

  /** The `Misbehavior` for committed evidence, with the total power of the set at its height. */
  misbehaviorOf(ev: DuplicateVoteEvidence, blockTime: number): Misbehavior {
    return toMisbehavior(ev, blockTime, this.#opts.totalPower(ev.voteA.height));
  }

  #add(ev: AnyEvidence, bytes: Uint8Array): AddEvidenceResult {
    const hash = verifyAnyEvidence(ev, this.context());
    const id = toHex(hash);
    if (this.#pending.has(id)) return { hash, added: false };
    this.#pending.set(id, { bytes, hash, height: anyEvidenceHeight(ev) });
    return { hash, added: true };
  }

  #prune(): void {
    const expired = (h: number) => isExpired(h, this.#height, this.#opts.maxAgeBlocks);
    for (const [id, p] of this.#pending) if (expired(p.height)) this.#pending.delete(id);
    for (const [id, h] of this.#committed) if (expired(h)) this.#committed.delete(id);
  }
}
