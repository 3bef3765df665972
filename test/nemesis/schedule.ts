/**
 * The nemesis schedule: a seed fixes every fault of a run (kind, target, duration), so a failing run is
 * replayed by its seed alone. Faults happen one at a time, each healed before the next.
 */
import { Rng } from '../../src/consensus/sim/rng.ts';

/** What a fault does. */
export type FaultKind =
  /** SIGKILL a node, restart it after the duration. */
  | 'kill'
  /** SIGSTOP a node, SIGCONT it after the duration. */
  | 'pause'
  /** Take a node's link down. */
  | 'isolate'
  /** Cut every link of the latest block's proposer (a minority of one holding the lead). */
  | 'isolate-leader'
  /** Cut the validators into two halves (no quorum on either side). */
  | 'split'
  /** SIGKILL every node, then start them all again. */
  | 'restart-all'
  /** SIGKILL a compute node (and so its runtime processes), restart it after the duration. */
  | 'kill-compute'
  /** SIGKILL the runtime child processes of a compute node (its supervisor must start them again). */
  | 'kill-runtime'
  /** Take a compute node's link down. */
  | 'isolate-compute';

/** One scheduled fault. */
export interface NemesisEvent {
  index: number;
  kind: FaultKind;
  /** Node index (manifest order) for single-node faults; one side for `split`. */
  nodes: number[];
  durationMs: number;
  /** For `kill-runtime`, once run: how many runtime processes were killed. */
  killed?: number;
}

/** Kinds that need links of their own (network namespaces). */
export const LINK_FAULTS: readonly FaultKind[] = ['isolate', 'isolate-leader', 'split', 'isolate-compute'];

/** Shape of the network a schedule is made for. */
export interface ScheduleOptions {
  seed: number;
  events: number;
  validators: number;
  /** All nodes (validators first). */
  nodes: number;
  /** Whether link faults can be used. */
  links: boolean;
  /** Indices of the compute nodes (none: no ParaTime faults, and every seed draws as before they existed). */
  compute?: readonly number[];
  minMs: number;
  maxMs: number;
}

/** The seeded schedule. */
export function nemesisSchedule(o: ScheduleOptions): NemesisEvent[] {
  const rng = new Rng(o.seed);
  const kinds: FaultKind[] = ['kill', 'kill', 'pause', 'pause', 'restart-all'];
  if (o.links) kinds.push('isolate', 'isolate', 'isolate-leader', 'isolate-leader', 'split');
  const compute = o.compute ?? [];
  if (compute.length > 0) {
    kinds.push('kill-compute', 'kill-compute', 'kill-runtime', 'kill-runtime', 'kill-runtime');
    if (o.links) kinds.push('isolate-compute', 'isolate-compute');
  }
  return Array.from({ length: o.events }, (_, index) => {
    const kind = kinds[rng.int(0, kinds.length - 1)]!;
    const durationMs = rng.int(o.minMs, o.maxMs);
    let nodes: number[] = [];
    if (kind === 'kill' || kind === 'pause' || kind === 'isolate') nodes = [rng.int(0, o.nodes - 1)];
    if (kind === 'kill-compute' || kind === 'kill-runtime' || kind === 'isolate-compute')
      nodes = [rng.pick(compute)];
    if (kind === 'split') {
      const order = Array.from({ length: o.validators }, (_, i) => i);
      for (let i = order.length - 1; i > 0; i--) {
        const j = rng.int(0, i);
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      nodes = order.slice(0, Math.floor(o.validators / 2)).sort((a, b) => a - b);
    }
    return { index, kind, nodes, durationMs };
  });
}

/** One line per event, for logs and for replaying a failure. */
export function describeSchedule(events: NemesisEvent[]): string {
  return events.map((e) => `#${e.index} ${e.kind} [${e.nodes.join(',')}] ${e.durationMs} ms`).join('\n');
}
