/** Light block sources over in-process block stores, counting what the client asked. */
import type { LightBlock } from '../../../src/consensus/api/light_block.ts';
import type { BlockStore } from '../../../src/consensus/bft/block_store.ts';
import { lightBlockAt } from '../../../src/consensus/bft/light_blocks.ts';
import type { LightBlockSource } from '../../../src/consensus/light/source.ts';

/** A source serving a block store, optionally rewriting blocks (a lying source). */
export class StoreSource implements LightBlockSource {
  readonly name: string;
  readonly fetched: number[] = [];
  readonly evidence: Uint8Array[] = [];
  readonly #store: BlockStore;
  readonly #rewrite: ((b: LightBlock) => LightBlock) | undefined;

  constructor(name: string, store: BlockStore, rewrite?: (b: LightBlock) => LightBlock) {
    this.name = name;
    this.#store = store;
    this.#rewrite = rewrite;
  }

  async lightBlock(height: number): Promise<LightBlock> {
    const h = height === 0 ? this.#store.height() : height;
    this.fetched.push(h);
    const b = lightBlockAt(this.#store, h);
    if (b === undefined) throw new Error(`no block ${h}`);
    return this.#rewrite ? this.#rewrite(b) : b;
  }

  async submitEvidence(evidence: Uint8Array): Promise<void> {
    this.evidence.push(evidence);
  }
}
