/**
 * What the driver re-sends so that the paper's gossip property holds over lossy links: periodically our
 * status and the current height's useful messages (the current round, the valid round's proof of lock and
 * the deciding round, and our own votes of every earlier round), and to a peer that is behind, the decided
 * block with its commit.
 *
 * Own votes of earlier rounds: a peer still in round r waits for precommits of round r from more than two
 * thirds before its precommit timeout can start; if ours was lost and we moved on to r+1 without re-sending
 * it, that peer (and with it the height, when our power is needed) waits forever — the simulator found this
 * with one silent validator of four after lossy links healed. Two votes per round keep this small.
 */
import { toHex } from '../../codec/bytes.ts';
import type { HeightContext } from './height_context.ts';
import type { ConsensusMessage } from './messages.ts';

/**
 * Messages to re-broadcast for the height in progress, status first; `self` is our validator key (hex).
 * With `statusOnly`, just the status (the height moved on since the last round of gossip, so nothing has
 * been missed for long).
 */
export function regossipMessages(
  ctx: HeightContext,
  self: string | null,
  statusOnly = false,
): ConsensusMessage[] {
  const out: ConsensusMessage[] = [{ kind: 'status', height: ctx.height }];
  if (statusOnly) return out;
  const e = ctx.engine;
  const rounds = new Set([e.round]);
  if (e.validRound >= 0) rounds.add(e.validRound);
  if (ctx.decided !== null) rounds.add(ctx.decided.round);
  for (const r of rounds) {
    const p = ctx.proposals.get(r);
    if (p !== undefined) out.push({ kind: 'proposal', ...p });
  }
  for (const vote of ctx.votesOfRounds(rounds)) out.push({ kind: 'vote', vote });
  if (self !== null) {
    for (const vote of ctx.votes.values())
      if (vote.round < e.round && !rounds.has(vote.round) && toHex(vote.validator) === self)
        out.push({ kind: 'vote', vote });
  }
  return out;
}

/** Limits catch-up answers to one per (peer, height) per interval, in bounded memory. */
export class CatchupLimiter {
  readonly #sent = new Map<string, number>();

  constructor(private readonly intervalMs: number) {}

  /** True (and noted) when `peer` may be sent height `height` now. */
  allow(peer: string, height: number, now: number): boolean {
    const key = `${peer}/${height}`;
    const last = this.#sent.get(key);
    if (last !== undefined && now - last < this.intervalMs) return false;
    if (this.#sent.size > 10_000) this.#sent.clear();
    this.#sent.set(key, now);
    return true;
  }
}

/**
 * Tells whether the height in progress is stalled: in the same (height, round) as at the previous gossip
 * tick. Re-sending a height's proposal and votes helps only a peer that missed them, and such a peer stalls
 * everyone waiting for its vote; re-sending them every tick while heights progress cost a full block's
 * bytes per node per tick under load.
 */
export class StallDetector {
  #last = '';

  /** Notes the current position and answers whether it equals the one noted at the previous tick. */
  stalled(height: number, round: number): boolean {
    const position = `${height}/${round}`;
    const same = position === this.#last;
    this.#last = position;
    return same;
  }
}
