/**
 * A bounded record of what happened in a run: every fault (partition, heal, crash, restart) and the most
 * recent message deliveries. It is formatted only when a seed fails, so tracing costs almost nothing.
 */
import { toHex } from '../../codec/bytes.ts';
import type { ConsensusMessage } from '../bft/messages.ts';

/** Short human-readable form of a message. */
export function describeMessage(m: ConsensusMessage): string {
  const short = (b: Uint8Array | null) => (b === null ? 'nil' : toHex(b).slice(0, 8));
  switch (m.kind) {
    case 'proposal':
      return `proposal h${m.proposal.height} r${m.proposal.round} vr${m.proposal.polRound} ${short(m.proposal.blockHash)} by ${toHex(m.proposal.proposer).slice(0, 6)}`;
    case 'vote':
      return `${m.vote.type === 1 ? 'prevote' : 'precommit'} h${m.vote.height} r${m.vote.round} ${short(m.vote.blockHash)} by ${toHex(m.vote.validator).slice(0, 6)}`;
    case 'commit':
      return `commit h${m.commit.height} ${short(m.commit.blockHash)}`;
    case 'status':
      return `status h${m.height}`;
  }
}

/** Faults in full, deliveries in a ring buffer. */
export class SimTrace {
  readonly faults: string[] = [];
  readonly #recent: Array<{ t: number; from: string; to: string; message: ConsensusMessage }> = [];

  constructor(private readonly keep = 40) {}

  fault(t: number, text: string): void {
    this.faults.push(`t=${t} ${text}`);
  }

  delivery(t: number, from: string, to: string, message: ConsensusMessage): void {
    if (this.keep === 0) return;
    this.#recent.push({ t, from, to, message });
    if (this.#recent.length > this.keep) this.#recent.shift();
  }

  /** Fault schedule, then the last deliveries. */
  lines(): string[] {
    return [
      ...this.faults,
      `-- last ${this.#recent.length} deliveries --`,
      ...this.#recent.map((d) => `t=${d.t} ${d.from}->${d.to} ${describeMessage(d.message)}`),
    ];
  }
}
