/**
 * Link faults without network namespaces: each node's P2P fault file (`debug.p2p_fault_file`, see
 * `P2pFaultFile`) lists the peers it must not talk to, so cutting the link between two nodes is writing
 * each one's key into the other's file. Coarser than real links (only libp2p connections are cut), but
 * it works wherever the nodes run.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LocalnetManifest } from '../../src/localnet/manifest.ts';
import { P2P_FAULT_FILE } from '../../src/localnet/prepare.ts';
import type { P2pFaults } from '../../src/p2p/fault_file.ts';
import { peerKeyOfAddress } from '../../src/p2p/libp2p_host.ts';

/** The link faults a nemesis applies (network namespaces or fault files). */
export interface LinkFaults {
  isolate(i: number): void;
  rejoin(i: number): void;
  /** Cuts every link between `side` and the rest. */
  partition(side: number[]): void;
  healAll(): void;
}

/** Link faults through the nodes' P2P fault files. */
export class FaultFileLinks implements LinkFaults {
  readonly #files: string[];
  readonly #keys: string[];
  readonly #cut = new Set<string>();

  constructor(net: LocalnetManifest) {
    this.#files = net.nodes.map((n) => join(n.data_dir, P2P_FAULT_FILE));
    this.#keys = net.nodes.map((n) => peerKeyOfAddress(n.p2p_address));
    this.#write();
  }

  #write(): void {
    this.#files.forEach((file, i) => {
      const blocked = this.#keys.filter((_, j) => this.#cut.has(`${Math.min(i, j)}-${Math.max(i, j)}`));
      const faults: P2pFaults = { blocked };
      writeFileSync(file, JSON.stringify(faults));
    });
  }

  isolate(i: number): void {
    this.partition([i]);
  }

  rejoin(i: number): void {
    for (const key of [...this.#cut]) if (key.split('-').map(Number).includes(i)) this.#cut.delete(key);
    this.#write();
  }

  partition(side: number[]): void {
    for (let a = 0; a < this.#files.length; a++)
      for (let b = a + 1; b < this.#files.length; b++)
        if (side.includes(a) !== side.includes(b)) this.#cut.add(`${a}-${b}`);
    this.#write();
  }

  healAll(): void {
    this.#cut.clear();
    this.#write();
  }
}
