/**
 * Fetching a checkpoint's chunks from the peers that offer it, `CHUNK_FETCHERS` requests at a time, each
 * chunk verified (digest, then proof against the trusted root) as it arrives and written into the restore;
 * a peer whose chunk fails is penalised and never asked again in this restore, a request that fails is
 * retried with another peer. Progress (chunks, bytes, rate) is logged. Used by consensus state sync and
 * by runtime state restores alike.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { CodedError } from '../../errors.ts';
import { CHECKPOINT_MODULE } from './errors.ts';
import type { Manifest } from './manifest.ts';
import type { CheckpointRestore } from './restore.ts';

/** Chunk requests in flight at once (CometBFT runs 4 fetchers). */
export const CHUNK_FETCHERS = 4;
/** Attempts per chunk before the candidate is given up. */
const MAX_CHUNK_ATTEMPTS = 12;
const PROGRESS_INTERVAL_MS = 2_000;

type PeerKey = string;

/** Progress of a restore, as logged. */
export interface SyncProgress {
  height: number;
  chunks: number;
  totalChunks: number;
  bytes: number;
  bytesPerSecond: number;
}

/** A checkpoint offered by some peers. */
export interface Candidate {
  manifest: Manifest;
  peers: PeerKey[];
}

/** What fetching chunks works with. */
export interface ChunkFetchOptions {
  client: { chunk(peer: PeerKey, version: number, index: number): Promise<Uint8Array> };
  peers: () => PeerKey[];
  penalize: (peer: PeerKey, reason: string) => void;
  log: {
    info: (fields: Record<string, unknown>, message: string) => void;
    warn: (fields: Record<string, unknown>, message: string) => void;
  };
}

/**
 * Fetches every chunk of the candidate from its peers, `CHUNK_FETCHERS` at a time; a chunk failing its
 * digest or proof drops and penalises its peer and is asked of another. Resolves when all are restored.
 */
export async function fetchChunks(
  o: ChunkFetchOptions,
  c: Candidate,
  restore: CheckpointRestore,
  deadline: number,
): Promise<void> {
  const total = c.manifest.chunks.length;
  const queue = restore.missing();
  const attempts = new Map<number, number>();
  const dropped = new Set<PeerKey>();
  const started = Date.now();
  let bytes = 0;
  let done = 0;
  let turn = 0;
  let lastReport = started;
  const report = (final: boolean) => {
    const now = Date.now();
    if (!final && now - lastReport < PROGRESS_INTERVAL_MS) return;
    lastReport = now;
    const progress: SyncProgress = {
      height: c.manifest.version,
      chunks: done,
      totalChunks: total,
      bytes,
      bytesPerSecond: Math.round(bytes / Math.max(0.001, (now - started) / 1000)),
    };
    o.log.info({ ...progress }, final ? 'state sync: all chunks restored' : 'state sync: restoring chunks');
  };
  const pickPeer = (): PeerKey | undefined => {
    const live = new Set(o.peers());
    const usable = c.peers.filter((p) => live.has(p) && !dropped.has(p));
    return usable.length === 0 ? undefined : usable[turn++ % usable.length];
  };
  const worker = async (): Promise<void> => {
    for (;;) {
      const index = queue.shift();
      if (index === undefined) return;
      if (Date.now() > deadline) throw new Error('state sync: deadline passed while fetching chunks');
      const peer = pickPeer();
      if (peer === undefined) throw new Error('state sync: no peer left that offers this checkpoint');
      const tries = (attempts.get(index) ?? 0) + 1;
      attempts.set(index, tries);
      if (tries > MAX_CHUNK_ATTEMPTS)
        throw new Error(`state sync: chunk ${index} failed ${MAX_CHUNK_ATTEMPTS} times`);
      let chunk: Uint8Array;
      try {
        chunk = await o.client.chunk(peer, c.manifest.version, index);
      } catch (err) {
        o.log.warn(
          { peer, index, err: (err as Error).message },
          'state sync: chunk request failed; asking another peer',
        );
        queue.push(index);
        await sleep(100);
        continue;
      }
      try {
        restore.addChunk(index, chunk);
      } catch (err) {
        if (!(err instanceof CodedError) || err.module !== CHECKPOINT_MODULE) throw err;
        // A corrupted or unprovable chunk: that peer lies or is broken; never ask it again here.
        dropped.add(peer);
        o.penalize(peer, `malformed checkpoint chunk: ${err.message}`);
        o.log.warn(
          { peer, index, err: err.message },
          'state sync: bad chunk rejected; peer penalised, asking another',
        );
        queue.push(index);
        continue;
      }
      done++;
      bytes += chunk.length;
      report(false);
    }
  };
  // Workers end when the queue is empty, but a failed chunk may be queued again after some ended: loop.
  while (restore.missing().length > 0) {
    if (queue.length === 0) queue.push(...restore.missing());
    await Promise.all(Array.from({ length: CHUNK_FETCHERS }, worker));
  }
  report(true);
}
