/**
 * Signing the node's own proposals and votes, the only path to the double-sign guard. After signing, the
 * signed message is written with `writeSync` before anyone sends it; that one sync also makes durable every
 * input logged behind it. (No separate flush before signing: a crash between the guard's save and this
 * sync is the same case as a crash just after the flush would be — the guard holds a signature the WAL
 * does not — and ends the same way: the replayed engine's fresh signature request is refused, the node
 * stays silent at that step, nothing was sent. It saved one fdatasync per own message.) After a restart, the own messages found in the WAL are
 * re-used for the same position and value instead of signing again, so a restarted node repeats its
 * earlier message byte for byte (a fresh timestamp would make the guard refuse it).
 */
import { toHex } from '../../codec/bytes.ts';
import type { Block } from '../api/block.ts';
import { type ConsensusWal, DoubleSignError, type DoubleSignGuard, SignStep } from '../api/durability.ts';
import {
  MessageType,
  type Proposal,
  proposalSignBytes,
  type Vote,
  type VoteType,
  voteSignBytes,
} from '../api/vote.ts';
import type { DriverLogger } from './host.ts';
import type { ConsensusMessage } from './messages.ts';
import { encodeWalRecord } from './wal_records.ts';

/** Key of an own message's position (one proposal per round, one vote per round and type). */
export function ownPosition(m: ConsensusMessage): string {
  if (m.kind === 'proposal') return `proposal/${m.proposal.height}/${m.proposal.round}`;
  if (m.kind === 'vote') return `vote/${m.vote.height}/${m.vote.round}/${m.vote.type}`;
  return `other/${m.kind}`;
}

/** True when two optional block hashes are equal (both nil counts as equal). */
export function sameBlock(a: Uint8Array | null, b: Uint8Array | null): boolean {
  if (a === null || b === null) return a === b;
  return toHex(a) === toHex(b);
}

/** Signs own messages through the guard with the WAL discipline, re-using logged ones after a restart. */
export class OwnMessageSigner {
  readonly #guard: DoubleSignGuard | null;
  readonly #wal: ConsensusWal;
  readonly #alive: () => void;
  readonly #logger: DriverLogger | undefined;
  readonly #logged = new Map<string, ConsensusMessage>();

  constructor(guard: DoubleSignGuard | null, wal: ConsensusWal, alive: () => void, logger?: DriverLogger) {
    this.#guard = guard;
    this.#wal = wal;
    this.#alive = alive;
    this.#logger = logger;
  }

  /** Our consensus key, or null when we do not sign. */
  get publicKey(): Uint8Array | null {
    return this.#guard?.publicKey ?? null;
  }

  /** Remembers an own message found in the WAL, for re-use during replay. */
  remember(message: ConsensusMessage): void {
    this.#logged.set(ownPosition(message), message);
  }

  /** Takes a remembered message that was not re-used yet (true), or reports it already was (false). */
  takeUnused(message: ConsensusMessage): boolean {
    return this.#logged.delete(ownPosition(message));
  }

  /** Forgets what replay did not use. */
  endReplay(): void {
    this.#logged.clear();
  }

  /** The block of our logged fresh proposal for (height, round), to propose the same value again. */
  loggedFreshBlock(height: number, round: number): Block | undefined {
    const m = this.#logged.get(`proposal/${height}/${round}`);
    return m?.kind === 'proposal' && m.proposal.polRound === -1 ? m.block : undefined;
  }

  /** Our signed proposal of `block`, or null when we cannot sign it. */
  async proposal(fields: Omit<Proposal, 'signature' | 'proposer'>, block: Block): Promise<Proposal | null> {
    const key = `proposal/${fields.height}/${fields.round}`;
    const logged = this.#logged.get(key);
    if (logged?.kind === 'proposal' && sameBlock(logged.proposal.blockHash, fields.blockHash)) {
      this.#logged.delete(key);
      return logged.proposal;
    }
    const signature = await this.#sign(
      fields.height,
      fields.round,
      SignStep.propose,
      proposalSignBytes(fields),
    );
    if (signature === null) return null;
    const proposal = { ...fields, proposer: this.#guard!.publicKey, signature };
    await this.#wal.writeSync(
      encodeWalRecord({ kind: 'own', message: { kind: 'proposal', proposal, block } }),
    );
    return proposal;
  }

  /** Our signed vote, or null when we cannot sign it. */
  async vote(fields: Omit<Vote, 'signature' | 'validator'>): Promise<Vote | null> {
    const key = `vote/${fields.height}/${fields.round}/${fields.type}`;
    const logged = this.#logged.get(key);
    if (logged?.kind === 'vote' && sameBlock(logged.vote.blockHash, fields.blockHash)) {
      this.#logged.delete(key);
      return logged.vote;
    }
    const step = stepOf(fields.type);
    const signature = await this.#sign(fields.height, fields.round, step, voteSignBytes(fields));
    if (signature === null) return null;
    const vote = { ...fields, validator: this.#guard!.publicKey, signature };
    await this.#wal.writeSync(encodeWalRecord({ kind: 'own', message: { kind: 'vote', vote } }));
    return vote;
  }

  async #sign(height: number, round: number, step: SignStep, bytes: Uint8Array): Promise<Uint8Array | null> {
    if (this.#guard === null) return null;
    this.#alive();
    try {
      return await this.#guard.sign(height, round, step, bytes);
    } catch (err) {
      if (!(err instanceof DoubleSignError)) throw err;
      // We signed something else here before a crash and lost the inputs behind it: stay silent.
      this.#logger?.warn('guard refused to sign', { height, round, step, error: err.message });
      return null;
    }
  }
}

function stepOf(type: VoteType): SignStep {
  return type === MessageType.prevote ? SignStep.prevote : SignStep.precommit;
}
