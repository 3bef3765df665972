/**
 * What the driver re-sends so that the paper's gossip property holds over lossy links: periodically our
 * status and the current height's useful messages (the current round, the valid round's proof of lock and
 * the deciding round), and to a peer that is behind, the decided block with its commit.
 */
import type { HeightContext } from './height_context.ts';
import type { ConsensusMessage } from './messages.ts';

/** Messages to re-broadcast for the height in progress, status first. */
export function regossipMessages(ctx: HeightContext): ConsensusMessage[] {
  const out: ConsensusMessage[] = [{ kind: 'status', height: ctx.height }];
  const e = ctx.engine;
  const rounds = new Set([e.round]);
  if (e.validRound >= 0) rounds.add(e.validRound);
  if (ctx.decided !== null) rounds.add(ctx.decided.round);
  for (const r of rounds) {
    const p = ctx.proposals.get(r);
    if (p !== undefined) out.push({ kind: 'proposal', ...p });
  }
  for (const vote of ctx.votesOfRounds(rounds)) out.push({ kind: 'vote', vote });
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
