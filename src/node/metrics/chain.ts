/**
 * oasis-node's service metrics a node can tell from its own chain: runtime rounds finalized
 * (`oasis_finalized_rounds`, `oasis_roothash_block_interval`, `oasis_worker_processed_block_count`), discrepancies
 * (`oasis_worker_execution_discrepancy_detected_count`) from each block's roothash events, and the registry's
 * size (`oasis_registry_entities|nodes|runtimes`), read from the latest state when Prometheus scrapes.
 */
import { Counter, Gauge, type Registry, Summary } from 'prom-client';
import { toHex } from '../../codec/bytes.ts';
import type { AppEvent } from '../../consensus/api/application.ts';
import { RegistryStateReader } from '../../services/registry/state.ts';
import { ROOTHASH_MODULE } from '../../services/roothash/api/errors.ts';
import { RoothashEventKinds } from '../../services/roothash/api/events.ts';
import type { StateReader } from '../../state/api.ts';

/** How many entities, nodes and runtimes the registry holds. */
export interface RegistryCounts {
  entities: number;
  nodes: number;
  runtimes: number;
}

/** Metrics derived from committed blocks' events and the latest state. */
export class ChainMetrics {
  readonly #finalized: Counter;
  readonly #roundInterval: Summary;
  readonly #discrepancies: Counter;
  readonly #processedBlocks: Counter;
  /** Consensus block time (ms) of each runtime's last finalized round, by runtime ID (hex). */
  readonly #lastFinalizedMs = new Map<string, number>();

  /** `registryCounts` reads the latest state; absent, the registry gauges are not exported. */
  constructor(registry: Registry, registryCounts?: () => RegistryCounts | undefined) {
    const registers = [registry];
    this.#finalized = new Counter({
      name: 'oasis_finalized_rounds',
      help: 'Number of finalized rounds.',
      registers,
    });
    this.#roundInterval = new Summary({
      name: 'oasis_roothash_block_interval',
      help: 'Time between roothash blocks (seconds).',
      labelNames: ['runtime'],
      percentiles: [0.5, 0.9, 0.99],
      maxAgeSeconds: 600,
      ageBuckets: 5,
      registers,
    });
    this.#discrepancies = new Counter({
      name: 'oasis_worker_execution_discrepancy_detected_count',
      help: 'Number of detected execute discrepancies.',
      labelNames: ['runtime'],
      registers,
    });
    this.#processedBlocks = new Counter({
      name: 'oasis_worker_processed_block_count',
      help: 'Number of processed roothash blocks.',
      labelNames: ['runtime'],
      registers,
    });
    if (registryCounts === undefined) return;
    const countGauge = (name: string, help: string, pick: (c: RegistryCounts) => number) =>
      new Gauge({
        name,
        help,
        registers,
        collect() {
          const counts = registryCounts();
          if (counts !== undefined) this.set(pick(counts));
        },
      });
    countGauge('oasis_registry_entities', 'Number of registry entities.', (c) => c.entities);
    countGauge('oasis_registry_nodes', 'Number of registry nodes.', (c) => c.nodes);
    countGauge('oasis_registry_runtimes', 'Number of registry runtimes.', (c) => c.runtimes);
  }

  /** Records one committed block's events; `timeMs` is its header time. */
  onEvents(events: Iterable<AppEvent>, timeMs: number): void {
    for (const e of events) {
      if (e.module !== ROOTHASH_MODULE) continue;
      const runtimeId = (e.value as { runtime_id?: unknown }).runtime_id;
      if (!(runtimeId instanceof Uint8Array)) continue;
      const runtime = toHex(runtimeId);
      if (e.kind === RoothashEventKinds.finalized) {
        this.#finalized.inc();
        this.#processedBlocks.inc({ runtime });
        const last = this.#lastFinalizedMs.get(runtime);
        if (last !== undefined && timeMs >= last)
          this.#roundInterval.observe({ runtime }, (timeMs - last) / 1000);
        this.#lastFinalizedMs.set(runtime, timeMs);
      } else if (e.kind === RoothashEventKinds.executionDiscrepancy) {
        this.#discrepancies.inc({ runtime });
      }
    }
  }
}

/** The registry's size in `state` (decodes every descriptor: for scrapes, not for block processing). */
export function registryCountsOf(state: StateReader): RegistryCounts {
  const registry = new RegistryStateReader(state);
  return {
    entities: [...registry.entities()].length,
    nodes: registry.nodes().length,
    runtimes: registry.runtimes().length,
  };
}
