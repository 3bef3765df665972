/**
 * A test-only P2P fault injector, for fault tests where nodes cannot get links of their own (no network
 * namespaces): a JSON file `{"blocked": ["<peer P2P key hex>", …]}` that the node re-reads every 250 ms.
 * A blocked peer is disconnected at once and refused when dialling or dialled, as if the link between the
 * two were cut; emptying the list heals it. Enabled only by the `debug.p2p_fault_file` config key.
 */
import { readFileSync } from 'node:fs';
import type { PeerKey } from './api.ts';

const POLL_MS = 250;

/** The shape of the file (also what the test harness writes). */
export interface P2pFaults {
  blocked: PeerKey[];
}

/** Watches a fault file; a missing or unreadable file blocks nobody. */
export class P2pFaultFile {
  readonly #path: string;
  #blocked = new Set<PeerKey>();
  #timer: NodeJS.Timeout | undefined;

  constructor(path: string) {
    this.#path = path;
    this.#read();
  }

  /** Whether the link to `peer` is cut now. */
  blocks(peer: PeerKey): boolean {
    return this.#blocked.has(peer);
  }

  /** Starts polling; `onBlocked` is called for every peer newly blocked (to drop its connection). */
  start(onBlocked: (peer: PeerKey) => void): void {
    this.#timer = setInterval(() => {
      const before = this.#blocked;
      this.#read();
      for (const peer of this.#blocked) if (!before.has(peer)) onBlocked(peer);
    }, POLL_MS);
    this.#timer.unref();
  }

  /** Stops polling. */
  stop(): void {
    clearInterval(this.#timer);
  }

  #read(): void {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(this.#path, 'utf8'));
    } catch {
      this.#blocked = new Set();
      return;
    }
    const list = (parsed as Partial<P2pFaults> | null)?.blocked;
    this.#blocked = new Set(Array.isArray(list) ? list.filter((p) => typeof p === 'string') : []);
  }
}
