/**
 * Checkpoints of a runtime's state (oasis-core's runtime storage checkpoints, `checkpointsync`): a node
 * that holds the state of a finalized round serves a checkpoint of it — manifest (namespace = runtime ID,
 * version = round, root = the round's state root) and range-proof chunks, the consensus checkpoint format
 * (`state/checkpoint`) — writing it on first request and keeping the newest few. A node that lacks the
 * state a finalized block names restores it from such checkpoints: it asks every peer for the checkpoint
 * of that round, takes the manifest whose root is the block's state root offered by the most peers, and
 * fetches the chunks from all of them in parallel, each verified against that root as it arrives (a peer
 * sending a bad chunk is penalised and dropped). Chunking is deterministic at a fixed chunk size, so honest
 * peers offer the same manifest and share the load.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { bytesEqual, toHex } from '../../../codec/bytes.ts';
import { decodeCanonical } from '../../../codec/cbor.ts';
import { EMPTY_HASH } from '../../../crypto/hash.ts';
import { CodecError } from '../../../errors.ts';
import type { P2PHost } from '../../../p2p/api.ts';
import { writeCheckpoint } from '../../../state/checkpoint/create.ts';
import { type Candidate, fetchChunks } from '../../../state/checkpoint/fetch.ts';
import { CheckpointFiles } from '../../../state/checkpoint/files.ts';
import { type Manifest, manifestHash } from '../../../state/checkpoint/manifest.ts';
import { CheckpointRestore, type RestoreTarget } from '../../../state/checkpoint/restore.ts';
import {
  answerCheckpointRequest,
  CheckpointPeers,
  syncRequestDecoder,
} from '../../../state/checkpoint/sync_protocol.ts';
import type { WriteLogEntry } from '../../protocol/types.ts';
import type { RuntimeStateStore } from '../../state/api.ts';
import type { TreeStore } from '../../state/tree_store.ts';

/** Chunk target of runtime checkpoints: fixed, so that every honest node cuts a state the same way. */
export const RUNTIME_CHUNK_BYTES = 1024 * 1024;
/** Runtime checkpoints kept on disk (the newest). */
export const RUNTIME_CHECKPOINTS_KEPT = 2;
/** How long one restore may take. */
const RESTORE_DEADLINE_MS = 120_000;
/** How long a restore keeps asking when no peer offers the round yet, and how often. */
const DISCOVERY_MS = 3_000;
const DISCOVERY_RETRY_MS = 300;

/** What a node's runtime checkpoints work with. */
export interface RuntimeCheckpointsOptions {
  /** Directory of the checkpoint files. */
  dir: string;
  runtimeId: Uint8Array;
  /** The runtime's state store (the persistent one flushes). */
  store: TreeStore & Pick<RuntimeStateStore, 'flush'>;
  /** The state root of finalized round `round` as this node recorded it, if it did. */
  finalizedRoot: (round: number) => Uint8Array | undefined;
  p2p: P2PHost;
  /** The runtime's checkpoint protocol on this chain. */
  protocol: string;
  log: {
    info: (fields: Record<string, unknown>, message: string) => void;
    warn: (fields: Record<string, unknown>, message: string) => void;
  };
}

/**
 * Restores into the runtime's tree store: entries are gathered, and the root they yield is computed (and
 * kept) when the restore finishes; a wrong one ages out of the store like any unused root.
 */
class TreeStoreTarget implements RestoreTarget {
  readonly #store: RuntimeCheckpointsOptions['store'];
  #entries: WriteLogEntry[] = [];

  constructor(store: RuntimeCheckpointsOptions['store']) {
    this.#store = store;
  }
  latestVersion(): number {
    return 0;
  }
  working() {
    return { set: (key: Uint8Array, value: Uint8Array) => void this.#entries.push([key, value]) };
  }
  workingRoot(): Uint8Array {
    return this.#store.apply(EMPTY_HASH, this.#entries);
  }
  rollback(): void {
    this.#entries = [];
  }
  async commit(): Promise<void> {
    this.#entries = [];
    await this.#store.flush?.();
  }
}

/** A runtime's checkpoints: served to peers, and restored from them. */
export class RuntimeCheckpoints {
  readonly #o: RuntimeCheckpointsOptions;
  readonly #files: CheckpointFiles;
  readonly #client: CheckpointPeers;
  readonly #creating = new Map<number, Promise<Manifest | undefined>>();

  /** Opens the checkpoint files and serves them on the runtime's protocol. */
  constructor(o: RuntimeCheckpointsOptions) {
    this.#o = o;
    // Written on demand from a state the node holds, so never synced: a crash's leftovers are detected
    // (see CheckpointFiles) and the checkpoint is written again when next asked for.
    this.#files = new CheckpointFiles(o.dir, o.runtimeId, { durable: false });
    this.#client = new CheckpointPeers((peer, req) => o.p2p.request(peer, o.protocol, req), o.runtimeId);
    const source = {
      list: () => this.#files.list(),
      manifestAt: (round: number) => this.manifestAt(round),
      chunk: (round: number, index: number) => this.#files.chunk(round, index),
    };
    o.p2p.handle(o.protocol, async (_from, data) => {
      const req = syncRequestDecoder(decodeCanonical(data), 'request');
      const answer = await answerCheckpointRequest(source, req, o.runtimeId);
      if (answer === undefined)
        throw new CodecError('request.method', `unknown method ${JSON.stringify(req.method)}`);
      return answer;
    });
  }

  /** Rounds of the kept checkpoints, ascending. */
  rounds(): number[] {
    return this.#files.list().map((m) => m.version);
  }

  /**
   * The checkpoint of finalized round `round`: the kept one, or one written now if this node holds that
   * round's state (undefined otherwise). Writing drops the oldest beyond `RUNTIME_CHECKPOINTS_KEPT`.
   */
  async manifestAt(round: number): Promise<Manifest | undefined> {
    const kept = this.#files.manifest(round);
    if (kept !== undefined) return kept;
    const root = this.#o.finalizedRoot(round);
    if (root === undefined || !this.#o.store.has(root)) return undefined;
    let creating = this.#creating.get(round);
    if (creating === undefined) {
      creating = this.#create(round, root).finally(() => this.#creating.delete(round));
      this.#creating.set(round, creating);
    }
    return creating;
  }

  async #create(round: number, root: Uint8Array): Promise<Manifest | undefined> {
    const store = this.#o.store;
    const prover = {
      rootHash: () => root,
      proveRange: (_round: number, start: Uint8Array | undefined, target: number) =>
        store.proveRange(root, start, target),
    };
    const created = await writeCheckpoint(this.#files, prover, round, RUNTIME_CHUNK_BYTES);
    if (created === undefined) return undefined;
    const { manifest, bytes, ms } = created;
    this.#o.log.info(
      { round, chunks: manifest.chunks.length, bytes, ms, root: toHex(root) },
      'runtime checkpoint created',
    );
    const all = this.#files.list();
    for (const m of all.slice(0, Math.max(0, all.length - RUNTIME_CHECKPOINTS_KEPT)))
      this.#files.remove(m.version);
    return manifest;
  }

  /**
   * Makes the store hold `root`, the state root of finalized round `round`, from the peers' checkpoints of
   * that round. Resolves true once it does, false when no peer could provide it.
   */
  async restore(root: Uint8Array, round: number): Promise<boolean> {
    const { p2p, store, log } = this.#o;
    if (store.has(root)) return true;
    const deadline = Date.now() + RESTORE_DEADLINE_MS;
    const offers = new Map<string, Candidate>();
    // Peers record a round a moment after it is final: ask again for a little while when none offers it.
    const discoverUntil = Date.now() + DISCOVERY_MS;
    while (offers.size === 0) {
      await Promise.all(
        p2p.peers().map(async (peer) => {
          const manifests = await this.#client.checkpoints(peer, round).catch(() => []);
          for (const manifest of manifests) {
            // Only the checkpoint of the finalized root is of use; anything else is ignored.
            if (manifest.version !== round || !bytesEqual(manifest.root, root)) continue;
            const key = toHex(manifestHash(manifest, this.#o.runtimeId));
            const c = offers.get(key) ?? { manifest, peers: [] };
            c.peers.push(peer);
            offers.set(key, c);
          }
        }),
      );
      if (offers.size > 0 || Date.now() >= discoverUntil) break;
      await sleep(DISCOVERY_RETRY_MS);
    }
    const candidates = [...offers.values()].sort((a, b) => b.peers.length - a.peers.length);
    const fetchOptions = {
      client: this.#client,
      peers: () => p2p.peers(),
      penalize: (peer: string, reason: string) => p2p.penalize(peer, reason),
      log,
    };
    for (const c of candidates) {
      log.info(
        { round, root: toHex(root), chunks: c.manifest.chunks.length, peers: c.peers.length },
        'restoring runtime state from a checkpoint',
      );
      const restore = new CheckpointRestore(new TreeStoreTarget(store), c.manifest);
      try {
        await fetchChunks(fetchOptions, c, restore, deadline);
        await restore.finish();
        log.info({ round, entries: restore.entries }, 'runtime state restored from a checkpoint');
        return true;
      } catch (err) {
        log.warn(
          { round, err: (err as Error).message },
          'runtime checkpoint restore failed; trying the next',
        );
      }
    }
    return store.has(root);
  }
}
