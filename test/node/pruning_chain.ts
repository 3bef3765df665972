/**
 * A chain written straight into a real LMDB block store and MKVS, as a node writes it (block, commit,
 * results, chain state and one state version per height), for the pruning tests. The chain state is
 * reduced to its height: the store keeps whatever state its codec encodes.
 */
import { utf8 } from '../../src/codec/bytes.ts';
import { decodeCanonical, encodeCanonical } from '../../src/codec/cbor.ts';
import {
  type Block,
  blockHash,
  itemsHash,
  lastCommitHashOf,
  txsHash,
} from '../../src/consensus/api/block.ts';
import type { ChainStateCodec, HeightState } from '../../src/consensus/api/block_store.ts';
import { buildCommit } from '../../src/consensus/api/commit.ts';
import { EMPTY_HASH } from '../../src/crypto/hash.ts';
import { type MkvsState, openMkvs } from '../../src/state/mkvs/versioned.ts';
import { LmdbBlockStore } from '../../src/storage/block_store.ts';

/** The chain state of these tests: just its height. */
export const heightOnlyCodec: ChainStateCodec<HeightState> = {
  encode: (s) => encodeCanonical({ h: s.lastBlockHeight }),
  decode: (b) => ({ lastBlockHeight: (decodeCanonical(b) as { h: number }).h }),
};

/** A test chain's stores. */
export interface TestChain {
  store: LmdbBlockStore<HeightState>;
  state: MkvsState;
  close(): Promise<void>;
}

/** Opens (or reopens) the stores under `dir`. */
export async function openChain(dir: string): Promise<TestChain> {
  const store = new LmdbBlockStore(`${dir}/blocks`, heightOnlyCodec);
  const state = await openMkvs(`${dir}/state`);
  return {
    store,
    state,
    close: async () => {
      await store.close();
      await state.close();
    },
  };
}

/** The state key written at `height` (one per height, plus a rewritten `counter` key). */
export function keyOf(height: number): Uint8Array {
  return utf8(`key-${height}`);
}

/** Sizes of what each height writes. */
export interface HeightShape {
  /** Transactions per block and bytes per transaction. */
  txs: number;
  txBytes: number;
  /** Distinct state keys rewritten each height (from a fixed pool, so live state stays bounded). */
  rewrites: number;
}

const SMALL: HeightShape = { txs: 2, txBytes: 100, rewrites: 4 };

/** Appends heights `from..to` to the chain, every record a node would keep for each. */
export async function appendHeights(c: TestChain, from: number, to: number, shape = SMALL): Promise<void> {
  const working = c.state.working();
  for (let h = from; h <= to; h++) {
    const txs = Array.from({ length: shape.txs }, (_, i) =>
      new Uint8Array(shape.txBytes).fill((h + i) % 251),
    );
    working.set(keyOf(h), utf8(`value-${h}`));
    for (let i = 0; i < shape.rewrites; i++)
      working.set(utf8(`pool-${(h * 7 + i) % 500}`), utf8(`${h}:${i}`));
    const appHash = await c.state.commit(h);
    const block: Block = {
      header: {
        height: h,
        time: 1_700_000_000_000 + h * 1000,
        chainId: 'pruning-test',
        lastBlockHash: EMPTY_HASH,
        lastCommitHash: lastCommitHashOf(null),
        dataHash: txsHash(txs),
        evidenceHash: itemsHash([]),
        validatorsHash: EMPTY_HASH,
        nextValidatorsHash: EMPTY_HASH,
        appHash,
        proposer: new Uint8Array(32).fill(1),
      },
      txs,
      lastCommit: null,
      evidence: [],
    };
    await c.store.saveBlock(block, buildCommit(h, 0, blockHash(block.header), [], new Map()));
    await c.store.saveResults(h, {
      txResults: txs.map(() => ({ events: [{ module: 'test', kind: 'height', value: h }], gasUsed: 1n })),
      events: [],
      validatorUpdates: [],
      appHash,
    });
    await c.store.saveState({ lastBlockHeight: h });
  }
}
