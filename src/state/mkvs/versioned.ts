/**
 * The MKVS as the node's `VersionedState`: an oasis-core-compatible authenticated tree, one root per
 * committed version (block height), persisted in LMDB.
 *
 * Layout (one LMDB environment per state directory): `nodes` hash → LE32 reference count || node
 * (see node-store.ts), `roots` BE64 version → root hash. A commit is one LMDB
 * transaction (new nodes, counts, root record) awaited until flushed, so a crash at any instant leaves
 * either the previous or the new version, never a mix; reopening resumes from the latest root.
 *
 * The working state is the latest version plus writes applied to an in-memory copy-on-write tree;
 * `workingRoot` hashes only the dirty paths. Version 0 is the empty state before the first commit.
 */
import { u64be } from '../../codec/bytes.ts';
import { EMPTY_HASH, HASH_SIZE } from '../../crypto/hash.ts';
import {
  asKey,
  type BinaryDb,
  type LmdbEnv,
  type LmdbEnvOptions,
  openBinaryDb,
  openLmdbEnv,
  writeAtomically,
  writeDurably,
} from '../../storage/lmdb.ts';
import type { StateReader, StateWriter, VersionedState } from '../api.ts';
import { MkvsErrorCode, mkvsError } from './errors.ts';
import { iterateEntries } from './iterate.ts';
import { buildMultiProof } from './multi_proof.ts';
import { type Child, childHash, MAX_KEY_BYTES, NodeRef } from './node.ts';
import { NodeCache } from './node-cache.ts';
import { NodeStore } from './node-store.ts';
import { buildProof, PROOF_VERSION, type Proof } from './proof.ts';
import { buildRangeProof, type RangeProof } from './range_proof.ts';
import { insert, lookup, remove } from './tree.ts';

/** Options for `openMkvs`. */
export interface MkvsOptions extends LmdbEnvOptions {
  /** How many decoded nodes to keep in memory (default `DEFAULT_CACHED_NODES`, 250k: ~170 MiB of heap). */
  cachedNodes?: number;
}

function checkKey(key: Uint8Array): void {
  if (!(key instanceof Uint8Array) || key.length > MAX_KEY_BYTES) {
    throw mkvsError(MkvsErrorCode.badInput, `key must be bytes of at most ${MAX_KEY_BYTES} bytes`);
  }
}

/** How many older versions keep their root pointer for reuse. */
const RECENT_ROOTS = 16;

function rootRef(hash: Uint8Array): Child {
  return hash.length === HASH_SIZE && Buffer.compare(hash, EMPTY_HASH) !== 0 ? new NodeRef(hash) : null;
}

/** Opens (or creates) the MKVS in directory `dir`, restoring the latest committed version. */
export async function openMkvs(dir: string, options: MkvsOptions = {}): Promise<MkvsState> {
  const env = openLmdbEnv(dir, options);
  return new MkvsState(env, new NodeCache(options.cachedNodes));
}

/** The LMDB-backed authenticated versioned state. */
export class MkvsState implements VersionedState {
  readonly #env: LmdbEnv;
  readonly #roots: BinaryDb;
  readonly #store: NodeStore;
  readonly #cache: NodeCache;
  /** Kept versions → root hash, ascending. */
  readonly #versions = new Map<number, Uint8Array>();
  #latest = 0;
  #committedRoot: Child = null;
  /**
   * Root pointers of recently read or committed older versions. Reusing them lets reads at those versions
   * share cached nodes (unchanged subtrees are even the same refs as in the latest tree).
   */
  readonly #recentRoots = new Map<number, Child>();
  #workingRoot: Child = null;
  /** Generation of working nodes that may change in place; bumped whenever a snapshot is taken. */
  #gen = 1;
  #committing = false;
  #closed = false;
  /** Serializes commit, prune and close. */
  #queue: Promise<unknown> = Promise.resolve();
  readonly #working: StateWriter;

  constructor(env: LmdbEnv, cache: NodeCache) {
    this.#env = env;
    this.#cache = cache;
    this.#roots = openBinaryDb(env, 'roots');
    this.#store = new NodeStore(openBinaryDb(env, 'nodes'), cache);
    for (const { key, value } of this.#roots.getRange({})) {
      const version = Number(key.readBigUInt64BE(0));
      this.#versions.set(version, new Uint8Array(value));
      this.#latest = version;
    }
    if (this.#latest > 0) this.#committedRoot = rootRef(this.#versions.get(this.#latest)!);
    this.#workingRoot = this.#committedRoot;
    this.#working = this.#makeWorking();
  }

  latestVersion(): number {
    return this.#latest;
  }

  /** Kept versions, ascending. */
  versions(): number[] {
    return [...this.#versions.keys()];
  }

  rootHash(version: number): Uint8Array {
    this.#checkOpen();
    return this.#keptRoot(version).slice();
  }

  #keptRoot(version: number): Uint8Array {
    if (version === 0 && this.#latest === 0) return EMPTY_HASH;
    const hash = this.#versions.get(version);
    if (hash === undefined) throw mkvsError(MkvsErrorCode.versionNotFound, `version ${version} is not kept`);
    return hash;
  }

  at(version: number): StateReader {
    this.#checkOpen();
    const hash = this.#keptRoot(version);
    const root = this.#rootOf(version, hash);
    const check = (): void => {
      this.#checkOpen();
      if (version !== 0 && !this.#versions.has(version)) {
        throw mkvsError(MkvsErrorCode.versionNotFound, `version ${version} was pruned`);
      }
    };
    return {
      get: (key) => {
        check();
        return lookup(this.#store, root, key);
      },
      entries: (prefix) => {
        check();
        return iterateEntries(this.#store, root, prefix);
      },
    };
  }

  /** An inclusion or exclusion proof (oasis-core format, v1 unless `proofVersion` 0) for `key` at `version`. */
  prove(version: number, key: Uint8Array, proofVersion = PROOF_VERSION): Proof {
    checkKey(key);
    this.#checkOpen();
    const hash = this.#keptRoot(version);
    const root = this.#rootOf(version, hash);
    return buildProof(this.#store, root, key, proofVersion);
  }

  /**
   * A proof of the keys from `start` onwards at `version`, about `targetBytes` of them (a checkpoint
   * chunk); its `next` is where the following range starts.
   */
  proveRange(version: number, start: Uint8Array | undefined, targetBytes: number): RangeProof {
    this.#checkOpen();
    const hash = this.#keptRoot(version);
    return buildRangeProof(this.#store, this.#rootOf(version, hash), start, targetBytes);
  }

  /** One proof covering every key of `keys` at `version` (the answer to a batch of remote reads). */
  proveKeys(version: number, keys: readonly Uint8Array[], proofVersion = PROOF_VERSION): Proof {
    for (const key of keys) checkKey(key);
    this.#checkOpen();
    const root = this.#rootOf(version, this.#keptRoot(version));
    return buildMultiProof(this.#store, root, keys, proofVersion);
  }

  /** Up to `limit` entries at `version` with keys >= `start`, ascending (remote iteration). */
  entriesFrom(version: number, start: Uint8Array, limit: number): Array<[Uint8Array, Uint8Array]> {
    checkKey(start);
    this.#checkOpen();
    const root = this.#rootOf(version, this.#keptRoot(version));
    const out: Array<[Uint8Array, Uint8Array]> = [];
    if (limit <= 0) return out;
    for (const entry of iterateEntries(this.#store, root, new Uint8Array(0), start)) {
      out.push(entry);
      if (out.length >= limit) break;
    }
    return out;
  }

  /** Problems found by a full consistency check of the store against the kept versions (empty = sound). */
  checkIntegrity(): string[] {
    this.#checkOpen();
    return this.#store.audit([...this.#versions.values()]);
  }

  #rootOf(version: number, hash: Uint8Array): Child {
    if (version === this.#latest) return this.#committedRoot;
    const recent = this.#recentRoots.get(version);
    if (recent !== undefined) return recent;
    const root = rootRef(hash);
    this.#rememberRoot(version, root);
    return root;
  }

  #rememberRoot(version: number, root: Child): void {
    this.#recentRoots.set(version, root);
    if (this.#recentRoots.size > RECENT_ROOTS)
      this.#recentRoots.delete(this.#recentRoots.keys().next().value!);
  }

  working(): StateWriter {
    return this.#working;
  }

  #makeWorking(): StateWriter {
    return {
      get: (key) => {
        this.#checkOpen();
        return lookup(this.#store, this.#workingRoot, key);
      },
      entries: (prefix) => {
        this.#checkOpen();
        // The iterator reads a snapshot: later writes copy the nodes it may still visit.
        this.#gen++;
        return iterateEntries(this.#store, this.#workingRoot, prefix);
      },
      set: (key, value) => {
        this.#checkWritable();
        checkKey(key);
        if (!(value instanceof Uint8Array)) throw mkvsError(MkvsErrorCode.badInput, 'value must be bytes');
        const ctx = { loader: this.#store, gen: this.#gen };
        this.#workingRoot = insert(ctx, this.#workingRoot, new Uint8Array(key), new Uint8Array(value));
      },
      remove: (key) => {
        this.#checkWritable();
        checkKey(key);
        this.#workingRoot = remove({ loader: this.#store, gen: this.#gen }, this.#workingRoot, key);
      },
    };
  }

  workingRoot(): Uint8Array {
    this.#checkOpen();
    return childHash(this.#workingRoot).slice();
  }

  commit(version: number): Promise<Uint8Array> {
    try {
      this.#checkWritable();
      if (!Number.isSafeInteger(version) || version <= this.#latest) {
        throw mkvsError(
          MkvsErrorCode.badVersion,
          `cannot commit version ${version} (latest ${this.#latest})`,
        );
      }
    } catch (err) {
      return Promise.reject(err);
    }
    // Writes are refused from now until the commit settles, so the committed tree is the one hashed here.
    this.#committing = true;
    return this.#exclusive(async () => {
      try {
        const root = this.#workingRoot;
        const hash = childHash(root);
        this.#gen++;
        await writeDurably(this.#env, () => {
          this.#store.persist(root);
          this.#roots.putSync(asKey(u64be(version)), asKey(hash));
        });
        const committed = this.#store.detach(root);
        if (this.#latest > 0) this.#rememberRoot(this.#latest, this.#committedRoot);
        this.#committedRoot = committed;
        this.#workingRoot = committed;
        this.#versions.set(version, hash);
        this.#latest = version;
        return hash.slice();
      } finally {
        this.#committing = false;
      }
    });
  }

  rollback(): void {
    this.#checkWritable();
    this.#workingRoot = this.#committedRoot;
    this.#gen++;
  }

  prune(version: number): Promise<void> {
    try {
      this.#checkOpen();
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#exclusive(async () => {
      // Versions are kept ascending: stop at the first one that stays (cheap for small steps).
      const doomed: number[] = [];
      for (const v of this.#versions.keys()) {
        if (v >= version) break;
        if (v !== this.#latest) doomed.push(v);
      }
      if (doomed.length === 0) return;
      // Not awaited to disk: a crash may bring pruned versions back (whole), never half of one.
      await writeAtomically(this.#env, () => {
        for (const v of doomed) {
          this.#store.release(this.#versions.get(v)!);
          this.#roots.removeSync(asKey(u64be(v)));
        }
      });
      for (const v of doomed) {
        this.#versions.delete(v);
        this.#recentRoots.delete(v);
      }
    });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    await this.#exclusive(async () => {
      this.#closed = true;
      this.#cache.clear();
      await this.#env.close();
    });
  }

  #exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #checkOpen(): void {
    if (this.#closed) throw mkvsError(MkvsErrorCode.unavailable, 'state is closed');
  }

  #checkWritable(): void {
    this.#checkOpen();
    if (this.#committing) throw mkvsError(MkvsErrorCode.unavailable, 'a commit is in flight');
  }
}
