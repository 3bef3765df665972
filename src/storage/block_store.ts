/**
 * The node's block store on LMDB: decided blocks, their commits, the consensus chain state after each
 * height, and each block's execution results (for `GetTransactionsWithResults` and events). Each write is
 * atomic and visible when its promise resolves, and durable once `flush` resolves after it (LMDB makes
 * committed transactions durable in order): the driver flushes once per height, before the application
 * commits, which keeps the crash-recovery order (block and state on disk before the application moves).
 *
 * Pruning: `retainFrom(B)` durably records the lowest retained height B first; from then on nothing below
 * B is served (the chain state after B − 1 stays: it is the state block B is applied to), and
 * `pruneBatch` deletes what lies below in small transactions. A crash in between leaves only leftovers no
 * reader sees, which the next batch removes. LMDB reuses the freed pages, so the file stops growing.
 */
import { u64be } from '../codec/bytes.ts';
import { decodeCanonical, decodeOwnCanonical, encodeCanonical } from '../codec/cbor.ts';
import type { AppEvent, FinalizeBlockResponse, ResultError, TxResult } from '../consensus/api/application.ts';
import { type Block, blockHash, decodeBlock, encodeBlock } from '../consensus/api/block.ts';
import type { BlockStore, ChainStateCodec, HeightState } from '../consensus/api/block_store.ts';
import { type Commit, commitDecoder, commitToCbor } from '../consensus/api/commit.ts';
import {
  type BinaryDb,
  type LmdbEnv,
  openBinaryDb,
  openLmdbEnv,
  writeAtomically,
  writeDurably,
} from './lmdb.ts';

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
/** Lowest retained height (absent: nothing was ever pruned). */
const BASE_KEY = Buffer.from('base');
/** Hash of the first block ever stored, kept once that block is pruned (status reports it). */
const FIRST_HASH_KEY = Buffer.from('first_hash');
const BLOCK_CACHE = 64;
/**
 * Decoded results of the newest heights: every commit reads its block's results back (the commit fan-out),
 * and API readers of a fresh block (GetBlock, GetTransactionsWithResults) read them again; a block's results
 * are its largest record, and decoding them each time cost more than executing the block's transfers.
 */
const RESULTS_CACHE = 8;

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
  readonly #resultsCache = new Map<number, BlockResults>();
  #top: number;
  /** Lowest retained height; 0 while nothing was pruned. */
  #base: number;
  /** Lowest stored height, once known (read lazily: only needed while nothing was pruned). */
  #first: number | undefined;
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
    const base = this.#meta.get(BASE_KEY);
    this.#base = base ? Number(base.readBigUInt64BE(0)) : 0;
    const state = this.#meta.get(STATE_KEY);
    this.#state = state ? this.#codec.decode(new Uint8Array(state)) : undefined;
  }

  height(): number {
    return this.#top;
  }

  block(height: number): Block | undefined {
    if (height < this.#base) return undefined;
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
    if (height < this.#base) return 0;
    return this.#blocks.get(heightKey(height))?.length ?? 0;
  }

  commit(height: number): Commit | undefined {
    if (height < this.#base) return undefined;
    const raw = this.#commits.get(heightKey(height));
    return raw ? commitDecoder(decodeCanonical(new Uint8Array(raw)), 'commit') : undefined;
  }

  async saveBlock(block: Block, commit: Commit): Promise<void> {
    const h = block.header.height;
    await writeAtomically(this.#env, () => {
      this.#blocks.putSync(heightKey(h), Buffer.from(encodeBlock(block)));
      this.#commits.putSync(heightKey(commit.height), Buffer.from(encodeCanonical(commitToCbor(commit))));
      if (h > this.#top) this.#meta.putSync(TOP_KEY, heightKey(h));
    });
    if (h > this.#top) this.#top = h;
    if (this.#first !== undefined && h < this.#first) this.#first = h;
  }

  async saveCommit(commit: Commit): Promise<void> {
    if (!this.#blocks.doesExist(heightKey(commit.height))) return;
    await writeAtomically(this.#env, () => {
      this.#commits.putSync(heightKey(commit.height), Buffer.from(encodeCanonical(commitToCbor(commit))));
    });
  }

  state(): S | undefined {
    return this.#state;
  }

  stateAt(height: number): S | undefined {
    if (this.#state?.lastBlockHeight === height) return this.#state;
    if (height < this.#base - 1) return undefined;
    const raw = this.#states.get(heightKey(height));
    return raw ? this.#codec.decode(new Uint8Array(raw)) : undefined;
  }

  async flush(): Promise<void> {
    await this.#env.flushed;
  }

  async saveState(state: S): Promise<void> {
    const encoded = Buffer.from(this.#codec.encode(state));
    await writeAtomically(this.#env, () => {
      this.#states.putSync(heightKey(state.lastBlockHeight), encoded);
      this.#meta.putSync(STATE_KEY, encoded);
    });
    this.#state = state;
  }

  /** Results of the block at `height`, if recorded. Shared between callers: must not be modified. */
  results(height: number): BlockResults | undefined {
    if (height < this.#base) return undefined;
    const cached = this.#resultsCache.get(height);
    if (cached) return cached;
    const raw = this.#results.get(heightKey(height));
    if (!raw) return undefined;
    const results = decodeResults(raw);
    this.#resultsCache.set(height, results);
    if (this.#resultsCache.size > RESULTS_CACHE)
      this.#resultsCache.delete(this.#resultsCache.keys().next().value!);
    return results;
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
    this.#resultsCache.delete(height);
    await writeAtomically(this.#env, () => {
      this.#results.putSync(heightKey(height), Buffer.from(encodeCanonical(value)));
    });
    this.#resultsCache.delete(height);
  }

  /** Lowest height whose block, commit and results are served: the recorded base, else the first stored. */
  retainedHeight(): number {
    if (this.#base > 0) return this.#base;
    if (this.#first === undefined) {
      const [first] = [...this.#blocks.getKeys({ limit: 1 })];
      if (first) this.#first = Number(first.readBigUInt64BE(0));
    }
    return this.#first ?? 0;
  }

  /** Hash of the first block this store ever held (still known after that block is pruned). */
  firstBlockHash(): Uint8Array | undefined {
    const kept = this.#meta.get(FIRST_HASH_KEY);
    if (kept) return new Uint8Array(kept);
    const first = this.block(this.retainedHeight());
    return first ? blockHash(first.header) : undefined;
  }

  /**
   * Durably moves the lowest retained height up to `height` (never down, never above the top block):
   * from then on nothing below it is served, whether or not `pruneBatch` has deleted it yet. Resolves with
   * the retained height in force.
   */
  async retainFrom(height: number): Promise<number> {
    const target = Math.min(height, this.#top);
    if (target <= this.retainedHeight()) return this.retainedHeight();
    const firstHash = this.firstBlockHash();
    await writeDurably(this.#env, () => {
      if (firstHash && !this.#meta.doesExist(FIRST_HASH_KEY))
        this.#meta.putSync(FIRST_HASH_KEY, Buffer.from(firstHash));
      this.#meta.putSync(BASE_KEY, heightKey(target));
    });
    this.#base = target;
    for (const h of [...this.#cache.keys()]) if (h < target) this.#cache.delete(h);
    return target;
  }

  /**
   * Deletes up to `limit` records of each kind below the retained height in one transaction (committed, not
   * awaited to disk: a crash may bring some back, unserved, for a later batch). Resolves with how many were
   * deleted; 0 means nothing is left below.
   */
  async pruneBatch(limit: number): Promise<number> {
    if (this.#base === 0) return 0;
    const below = (db: BinaryDb, end: number) =>
      [...db.getKeys({ end: heightKey(end), limit })].map((k) => Buffer.from(k));
    const doomed: Array<[BinaryDb, Buffer[]]> = [
      [this.#blocks, below(this.#blocks, this.#base)],
      [this.#commits, below(this.#commits, this.#base)],
      [this.#results, below(this.#results, this.#base)],
      [this.#states, below(this.#states, this.#base - 1)],
    ];
    const count = doomed.reduce((n, [, keys]) => n + keys.length, 0);
    if (count === 0) return 0;
    await writeAtomically(this.#env, () => {
      for (const [db, keys] of doomed) for (const key of keys) db.removeSync(key);
    });
    return count;
  }

  /** Closes the environment. */
  async close(): Promise<void> {
    await this.#env.close();
  }
}

/** Decodes a stored results record. */
function decodeResults(raw: Uint8Array): BlockResults {
  const v = decodeOwnCanonical(new Uint8Array(raw)) as Record<string, unknown>;
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
