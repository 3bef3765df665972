/**
 * Per-peer misbehaviour accounting: each bad message costs points, points decay over time, and a peer
 * past the threshold is banned for a while (its connection is closed and redials are refused).
 */

/** Scoring knobs. */
export interface PeerScoreConfig {
  /** Points a peer may accumulate before it is banned. */
  banThreshold: number;
  /** Points forgiven per second. */
  decayPerSecond: number;
  /** How long a ban lasts. */
  banMs: number;
}

/** Defaults: ten bad messages in quick succession get a peer banned for a minute. */
export const DEFAULT_PEER_SCORES: PeerScoreConfig = Object.freeze({
  banThreshold: 100,
  decayPerSecond: 1,
  banMs: 60_000,
});

/** Points per kind of bad behaviour. */
export const Penalty = Object.freeze({ malformed: 10, oversize: 25, invalid: 20, timeout: 5 });

/** Tracks scores and bans; `now` is injected so tests and the simulator control time. */
export class PeerScores {
  readonly #config: PeerScoreConfig;
  readonly #now: () => number;
  readonly #points = new Map<string, { points: number; at: number }>();
  readonly #bannedUntil = new Map<string, number>();

  constructor(config: Partial<PeerScoreConfig> = {}, now: () => number = Date.now) {
    this.#config = { ...DEFAULT_PEER_SCORES, ...config };
    this.#now = now;
  }

  /** Adds `points` against `peer`; returns true when this pushes it over the threshold (ban it now). */
  penalize(peer: string, points: number): boolean {
    const now = this.#now();
    const prev = this.#points.get(peer);
    const decayed = prev
      ? Math.max(0, prev.points - ((now - prev.at) / 1000) * this.#config.decayPerSecond)
      : 0;
    const total = decayed + points;
    this.#points.set(peer, { points: total, at: now });
    if (total >= this.#config.banThreshold) {
      this.#bannedUntil.set(peer, now + this.#config.banMs);
      this.#points.delete(peer);
      return true;
    }
    return false;
  }

  /** True while `peer` is banned. */
  isBanned(peer: string): boolean {
    const until = this.#bannedUntil.get(peer);
    if (until === undefined) return false;
    if (this.#now() >= until) {
      this.#bannedUntil.delete(peer);
      return false;
    }
    return true;
  }
}
