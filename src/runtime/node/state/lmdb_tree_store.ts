/**
 * Runtime state trees kept in LMDB, so a node that restarts still holds the state roots its runtime
 * needs (the runtime itself keeps nothing). Nodes go to the MKVS node store (content-addressed, reference
 * counted: a node lives while some kept root reaches it); a `roots` table records each kept root with its
 * keeping order and its pinned and retained flags. Retained roots (finalized rounds the history lists) are
 * read from here when asked for and are not loaded at open, so a node keeping every round's state holds
 * only its working set in memory. Every keep/forget is one LMDB transaction, visible at once and durable
 * once `flush` resolves, so a crash leaves each root either wholly kept or not at all.
 */
import { u64be } from '../../../codec/bytes.ts';
import { HASH_SIZE } from '../../../crypto/hash.ts';
import { type Child, NodeRef } from '../../../state/mkvs/node.ts';
import { NodeCache } from '../../../state/mkvs/node-cache.ts';
import { NodeStore } from '../../../state/mkvs/node-store.ts';
import {
  asKey,
  type BinaryDb,
  type LmdbEnv,
  type LmdbEnvOptions,
  openBinaryDb,
  openLmdbEnv,
} from '../../../storage/lmdb.ts';
import { DEFAULT_KEPT_ROOTS, type TreeBacking, TreeStore } from '../../state/tree_store.ts';

/** Options of `LmdbTreeStore.open`. */
export interface LmdbTreeStoreOptions extends LmdbEnvOptions {
  /** Roots kept besides pinned ones. */
  keptRoots?: number;
  /** Decoded nodes cached in memory. */
  cachedNodes?: number;
}

/** Flags of a `roots` record. */
const PINNED = 1;
const RETAINED = 2;

/** Value of a `roots` record: BE64 keeping order || flags. */
function rootRecord(seq: bigint, flags: number): Buffer {
  return Buffer.concat([asKey(u64be(seq)), Buffer.of(flags)]);
}

class LmdbBacking implements TreeBacking {
  readonly #env: LmdbEnv;
  readonly #roots: BinaryDb;
  readonly loader: NodeStore;
  #seq = 0n;

  constructor(env: LmdbEnv, cachedNodes?: number) {
    this.#env = env;
    this.#roots = openBinaryDb(env, 'runtime-roots');
    this.loader = new NodeStore(openBinaryDb(env, 'runtime-nodes'), new NodeCache(cachedNodes));
  }

  /** The working set and pinned roots (retained ones are read on demand), oldest first. */
  restored(): Array<{ hash: Uint8Array; tree: NodeRef; pinned: boolean; seq: bigint }> {
    const out: Array<{ hash: Uint8Array; tree: NodeRef; pinned: boolean; seq: bigint }> = [];
    for (const { key, value } of this.#roots.getRange({})) {
      const seq = value.readBigUInt64BE(0);
      if (seq > this.#seq) this.#seq = seq;
      const flags = value[8]!;
      if ((flags & (PINNED | RETAINED)) === RETAINED) continue;
      const hash = new Uint8Array(key);
      out.push({ hash, tree: new NodeRef(hash), pinned: (flags & PINNED) !== 0, seq });
    }
    out.sort((a, b) => (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0));
    return out;
  }

  keep(hash: Uint8Array, tree: Child): Child {
    const seq = ++this.#seq;
    this.#env.transactionSync(() => {
      this.loader.persist(tree);
      this.#roots.putSync(asKey(hash), rootRecord(seq, 0));
    });
    return this.loader.detach(tree);
  }

  forget(hash: Uint8Array): void {
    this.#env.transactionSync(() => {
      this.loader.release(hash);
      this.#roots.removeSync(asKey(hash));
    });
  }

  pin(hash: Uint8Array): void {
    this.#setFlags(hash, (flags) => flags | PINNED);
  }

  retain(hash: Uint8Array): void {
    this.#setFlags(hash, (flags) => flags | RETAINED);
  }

  release(hash: Uint8Array): void {
    this.#setFlags(hash, (flags) => flags & ~RETAINED);
  }

  isRetained(hash: Uint8Array): boolean {
    const record = this.#roots.getBinaryFast(asKey(hash));
    return record !== undefined && (record[8]! & RETAINED) !== 0;
  }

  retained(hash: Uint8Array): Child | undefined {
    return this.isRetained(hash) ? new NodeRef(hash) : undefined;
  }

  /** Rewrites the flags of a kept root's record (nothing when `hash` is not kept). */
  #setFlags(hash: Uint8Array, update: (flags: number) => number): void {
    const record = this.#roots.getBinary(asKey(hash));
    if (record === undefined) return;
    this.#env.transactionSync(() =>
      this.#roots.putSync(asKey(hash), rootRecord(record.readBigUInt64BE(0), update(record[8]!))),
    );
  }

  /** Kept root hashes (for integrity checks). */
  keptRoots(): Uint8Array[] {
    return [...this.#roots.getKeys({})]
      .map((k) => new Uint8Array(k as Buffer))
      .filter((k) => k.length === HASH_SIZE);
  }
}

/** A `TreeStore` whose kept roots survive restarts. */
export class LmdbTreeStore extends TreeStore {
  readonly #env: LmdbEnv;
  readonly #backing: LmdbBacking;

  private constructor(env: LmdbEnv, backing: LmdbBacking, keptRoots: number) {
    super(backing, keptRoots);
    this.#env = env;
    this.#backing = backing;
  }

  /** Opens (or creates) the store in `dir`, restoring the roots kept there. */
  static open(dir: string, options: LmdbTreeStoreOptions = {}): LmdbTreeStore {
    const env = openLmdbEnv(dir, options);
    return new LmdbTreeStore(
      env,
      new LmdbBacking(env, options.cachedNodes),
      options.keptRoots ?? DEFAULT_KEPT_ROOTS,
    );
  }

  /** Resolves once everything kept so far is on disk. */
  async flush(): Promise<void> {
    await this.#env.flushed;
  }

  /** Problems found by a full check of the node store against the kept roots (empty = sound). */
  checkIntegrity(): string[] {
    return this.#backing.loader.audit(this.#backing.keptRoots());
  }

  /** Flushes and closes the environment. */
  async close(): Promise<void> {
    await this.flush();
    await this.#env.close();
  }
}
