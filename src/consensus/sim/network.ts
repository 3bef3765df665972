/**
 * The simulator's in-memory network: every message goes through the seeded fault model (loss, delay,
 * duplication, and therefore reordering; partitions that block links until healed) and is delivered by a
 * scheduler event, never synchronously, exactly like a real network would interleave it.
 */
import type { ConsensusMessage } from '../bft/messages.ts';
import type { Rng } from './rng.ts';
import type { VirtualScheduler } from './scheduler.ts';

/** Link behaviour at a given moment. */
export interface LinkFaults {
  dropRate: number;
  duplicateRate: number;
  minDelayMs: number;
  maxDelayMs: number;
}

/** Faultless links with zero delay. */
export const PERFECT_LINKS: LinkFaults = { dropRate: 0, duplicateRate: 0, minDelayMs: 0, maxDelayMs: 0 };

/** Receives a delivered message. */
export type Receiver = (from: string, message: ConsensusMessage) => void;

/** In-memory network between named nodes. */
export class SimNetwork {
  faults: LinkFaults = PERFECT_LINKS;
  readonly #receivers = new Map<string, Receiver>();
  /** Partition: node → group id; links between different groups are cut. Empty: no partition. */
  #groups = new Map<string, number>();
  /** Messages handed to the network, and delivered. */
  sent = 0;
  /** Messages sent, by sender. */
  readonly sentBy = new Map<string, number>();
  delivered = 0;

  constructor(
    private readonly scheduler: VirtualScheduler,
    private readonly rng: Rng,
  ) {}

  /** Sets (or, with null, removes) the receiver of `node`; a node without one is down and loses messages. */
  attach(node: string, receiver: Receiver | null): void {
    if (receiver === null) this.#receivers.delete(node);
    else this.#receivers.set(node, receiver);
  }

  /** Cuts links between groups (each inner array is one side). */
  partition(groups: readonly string[][]): void {
    this.#groups = new Map(groups.flatMap((g, i) => g.map((n) => [n, i] as [string, number])));
  }

  /** Restores every link. */
  heal(): void {
    this.#groups = new Map();
  }

  /** Whether `a` and `b` can currently talk. */
  connected(a: string, b: string): boolean {
    const ga = this.#groups.get(a);
    const gb = this.#groups.get(b);
    return ga === undefined || gb === undefined || ga === gb;
  }

  /** Called on every delivery (tracing). */
  onDeliver: ((from: string, to: string, message: ConsensusMessage) => void) | null = null;

  /** Sends `message` from `from` to `to` through the fault model. */
  send(from: string, to: string, message: ConsensusMessage): void {
    this.sent++;
    this.sentBy.set(from, (this.sentBy.get(from) ?? 0) + 1);
    if (!this.connected(from, to) || this.rng.chance(this.faults.dropRate)) return;
    const copies = this.rng.chance(this.faults.duplicateRate) ? 2 : 1;
    for (let i = 0; i < copies; i++) {
      const delay = this.rng.int(this.faults.minDelayMs, this.faults.maxDelayMs);
      this.scheduler.at(delay, to, () => {
        const receiver = this.#receivers.get(to);
        if (receiver === undefined || !this.connected(from, to)) return;
        this.delivered++;
        this.onDeliver?.(from, to, message);
        receiver(from, message);
      });
    }
  }

  /** Sends to each of `nodes` except the sender (down nodes lose it). */
  broadcast(from: string, nodes: readonly string[], message: ConsensusMessage): void {
    for (const to of nodes) if (to !== from) this.send(from, to, message);
  }
}
