/**
 * The evidence pool behind the driver's `EvidenceHandler`, reading validator sets and block times from the
 * block store. It lives with the engine, which adapts consensus/evidence to its own port. The node (over its
 * LMDB store) and the simulator (over memory) both wire it into the driver, so equivocation ends up as
 * committed evidence and as misbehaviour in the application.
 */
import { toHex } from '../../codec/bytes.ts';
import type { Misbehavior } from '../api/application.ts';
import {
  anyEvidenceHash,
  anyEvidenceHeight,
  decodeAnyEvidence,
  misbehaviorsOf,
} from '../evidence/any_evidence.ts';
import { EvidencePool } from '../evidence/pool.ts';
import type { BlockStore } from './block_store.ts';
import type { EvidenceHandler } from './host.ts';
import { lightBlockAt } from './light_blocks.ts';

/** Blocks after which evidence is too old to punish. */
export const EVIDENCE_MAX_AGE_BLOCKS = 100;

/** The engine's evidence handler, plus the door for evidence submitted from outside (`SubmitEvidence`). */
export interface PooledEvidence extends EvidenceHandler {
  /** Verifies encoded evidence and pools it for a block; throws the evidence module's coded error. */
  submit(evidence: Uint8Array): void;
}

/** An `EvidenceHandler` over a fresh pool, resuming after whatever `store` already holds. */
export function poolEvidence(store: BlockStore, chainContext: string): PooledEvidence {
  const committedBefore = new Set<string>();
  for (let h = 1; h <= store.height(); h++) {
    for (const ev of store.block(h)?.evidence ?? [])
      committedBefore.add(toHex(anyEvidenceHash(decodeAnyEvidence(ev))));
  }
  const setOf = (height: number) => store.stateAt(height - 1)?.validators;
  const pool = new EvidencePool({
    chainContext,
    validatorPower: (height, key) => setOf(height)?.powerOf(toHex(key)),
    totalPower: (height) => setOf(height)?.totalPower ?? 0n,
    currentHeight: store.height(),
    maxAgeBlocks: EVIDENCE_MAX_AGE_BLOCKS,
    committedBefore: (hash) => committedBefore.has(toHex(hash)),
    lightBlock: (height) => lightBlockAt(store, height),
  });
  return {
    conflictingVotes(first, second) {
      try {
        pool.addConflictingVotes(first, second);
      } catch {
        // not provable (e.g. expired): nothing to keep
      }
    },
    submit(evidence) {
      pool.addEvidence(evidence);
    },
    pending: (maxBytes) => pool.pending(maxBytes),
    problem(evidence) {
      try {
        pool.verifyBlockEvidence(evidence);
        return null;
      } catch (err) {
        return (err as Error).message;
      }
    },
    misbehavior(evidence): Misbehavior[] {
      return evidence.flatMap((bytes) => {
        const ev = decodeAnyEvidence(bytes);
        const height = anyEvidenceHeight(ev);
        const time = Math.floor((store.block(height)?.header.time ?? 0) / 1000);
        return misbehaviorsOf(ev, time, setOf(height)?.totalPower ?? 0n);
      });
    },
    committed(evidence, height) {
      pool.markCommitted(
        evidence.map((bytes) => anyEvidenceHash(decodeAnyEvidence(bytes))),
        height,
      );
    },
  };
}
