/**
 * The node's block store on LMDB: decided blocks, their commits, the consensus chain state after each
 * height, and each block's execution results (for `GetTransactionsWithResults` and events). Every write is
 * durable before its promise resolves, as the driver's crash-recovery order relies on.
 */
import { u64be } from '../codec/bytes.ts';
import { decodeCanonical, encodeCanonical } from '../codec/cbor.ts';
import type { AppEvent, FinalizeBlockResponse, ResultError, TxResult } from '../consensus/api/application.ts';
import { type Block, decodeBlock, encodeBlock } from '../consensus/api/block.ts';
import type { BlockStore, ChainStateCodec, HeightState } from '../consensus/api/block_store.ts';
import { type Commit, commitDecoder, commitToCbor } from '../consensus/api/commit.ts';
import { type BinaryDb, type LmdbEnv, openBinaryDb, openLmdbEnv, writeDurably } from './lmdb.ts';

/** Execution results of one block, as kept for the API. */
export interface BlockResults {
  txResults: TxResult[];
  /** Begin/end block events. */
  events: AppEvent[];
  /** State root after the block. */
  appHash: Uint8Array;
}

const TOP_KEY = Buffer.from('top');
const STATE_KEY = Buffer.from('state');
const BLOCK_CACHE = 64;

function heightKey(height: number): Buffer {
  return Buffer.from(u64be(height));
}

function eventToCbor(e: AppEvent): Record<string, unknown> {
  const out: Record<string, unknown> = { module: e.module, kind: e.kind, value: e.value };
  if (e.txHash) out.tx_hash = e.txHash;
  return out;
}

function eventFromCbor(v: Record<string, unknown>): AppEvent {
  const e: AppEvent = { module: v.module as string, kind: v.kind as string, value: v.value };
  if (v.tx_hash) e.txHash = v.tx_hash as Uint8Array;
  return e;
}

/** A `BlockStore` (plus results) in an LMDB environment of its own, keeping chain states through `codec`. */
export class LmdbBlockStore<S extends HeightState> implements BlockStore<S> {
  readonly #env: LmdbEnv;
  readonly #blocks: BinaryDb;
  readonly #commits: BinaryDb;
  readonly #states: BinaryDb;
  readonly #results: BinaryDb;
  readonly #meta: BinaryDb;
  readonly #cache = new Map<number, Block>();
  #top: number;
  readonly #codec: ChainStateCodec<S>;
  #state: S | undefined;

  constructor(dir: string, codec: ChainStateCodec<S>) {
    this.#codec = codec;
    this.#env = openLmdbEnv(dir);
    this.#blocks = openBinaryDb(this.#env, 'blocks');
    this.#commits = openBinaryDb(this.#env, 'commits');
    this.#states = openBinaryDb(this.#env, 'states');
    this.#results = openBinaryDb(this.#env, 'results');
    this.#meta = openBinaryDb(this.#env, 'meta');
    const top = this.#meta.get(TOP_KEY);
    this.#top = top ? Number(top.readBigUInt64BE(0)) : 0;
    const state = this.#meta.get(STATE_KEY);
    this.#state = state ? this.#codec.decode(new Uint8Array(state)) : undefined;
  }

  height(): number {
    return this.#top;
  }

  block(height: number): Block | undefined {
    const cached = this.#cache.get(height);
    if (cached) return cached;
    const raw = this.#blocks.get(heightKey(height));
    if (!raw) return undefined;
    const block = decodeBlock(new Uint8Array(raw));
    this.#cache.set(height, block);
    if (this.#cache.size > BLOCK_CACHE) this.#cache.delete(this.#cache.keys().next().value!);
    return block;
  }

  /** Encoded size of the stored block at `height` (0 when absent). */
  blockSize(height: number): number {
    return this.#blocks.get(heightKey(height))?.length ?? 0;
  }

  commit(height: number): Commit | undefined {
    const raw = this.#commits.get(heightKey(height));
    return raw ? commitDecoder(decodeCanonical(new Uint8Array(raw)), 'commit') : undefined;
  }

  async saveBlock(block: Block, commit: Commit): Promise<void> {
    const h = block.header.height;
    await writeDurably(this.#env, () => {
      this.#blocks.putSync(heightKey(h), Buffer.from(encodeBlock(block)));
      this.#commits.putSync(heightKey(commit.height), Buffer.from(encodeCanonical(commitToCbor(commit))));
      if (h > this.#top) this.#meta.putSync(TOP_KEY, heightKey(h));
    });
    if (h > this.#top) this.#top = h;
  }

  async saveCommit(commit: Commit): Promise<void> {
    if (!this.#blocks.doesExist(heightKey(commit.height))) return;
    await writeDurably(this.#env, () => {
      this.#commits.putSync(heightKey(commit.height), Buffer.from(encodeCanonical(commitToCbor(commit))));
    });
  }

  state(): S | undefined {
    return this.#state;
  }

  stateAt(height: number): S | undefined {
    if (this.#state?.lastBlockHeight === height) return this.#state;
    const raw = this.#states.get(heightKey(height));
    return raw ? this.#codec.decode(new Uint8Array(raw)) : undefined;
  }

  async saveState(state: S): Promise<void> {
    const encoded = Buffer.from(this.#codec.encode(state));
    await writeDurably(this.#env, () => {
      this.#states.putSync(heightKey(state.lastBlockHeight), encoded);
      this.#meta.putSync(STATE_KEY, encoded);
    });
    this.#state = state;
  }

  /** Results of the block at `height`, if recorded. */
  results(height: number): BlockResults | undefined {
    const raw = this.#results.get(heightKey(height));
    if (!raw) return undefined;
    const v = decodeCanonical(new Uint8Array(raw)) as Record<string, unknown>;
    const txResults = (v.tx_results as Array<Record<string, unknown>>).map((r) => {
      const out: TxResult = {
        events: (r.events as Record<string, unknown>[]).map(eventFromCbor),
        gasUsed: BigInt(r.gas_used as number),
      };
      if (r.error) out.error = r.error as ResultError;
      return out;
    });
    return {
      txResults,
      events: (v.events as Record<string, unknown>[]).map(eventFromCbor),
      appHash: v.app_hash as Uint8Array,
    };
  }

  /** Records a block's results (rewritten identically if the block is re-executed after a crash). */
  async saveResults(height: number, resp: FinalizeBlockResponse): Promise<void> {
    const value = {
      tx_results: resp.txResults.map((r) => {
        const out: Record<string, unknown> = { events: r.events.map(eventToCbor), gas_used: r.gasUsed };
        if (r.error) out.error = { ...r.error };
        return out;
      }),
      events: resp.events.map(eventToCbor),
      app_hash: resp.appHash,
    };
    await writeDurably(this.#env, () => {
      this.#results.putSync(heightKey(height), Buffer.from(encodeCanonical(value)));
    });
  }

  /** Closes the environment. */
  async close(): Promise<void> {
    await this.#env.close();
  }
}
