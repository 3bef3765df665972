/**
 * State sync of a fresh node (oasis-core `consensus.state_sync`, CometBFT's statesync syncer): discover
 * checkpoints from peers, take the newest one whose state root equals the app hash of a header verified
 * from the trust root, fetch its chunks from several peers in parallel (a chunk failing its digest or proof
 * gets its peer penalised and dropped, and another peer is asked), restore the state, and record the chain
 * state at the checkpoint height (checked against the verified headers) so that block sync continues from
 * the next height. Progress (chunks, bytes, rate) is logged.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { bytesEqual, toHex } from '../codec/bytes.ts';
import { type BlockHeader, blockHash } from '../consensus/api/block.ts';
import type { ChainState } from '../consensus/bft/chain_state.ts';
import { CodedError } from '../errors.ts';
import type { PeerKey } from '../p2p/api.ts';
import type { VersionedState } from '../state/api.ts';
import { CHECKPOINT_MODULE } from '../state/checkpoint/errors.ts';
import { type Manifest, manifestHash } from '../state/checkpoint/manifest.ts';
import { CheckpointRestore } from '../state/checkpoint/restore.ts';
import type { StateSyncClient } from './checkpoint_protocol.ts';
import { TrustError, type VerifiedHeaderAt } from './trusted_headers.ts';

/** Chunk requests in flight at once (CometBFT runs 4 fetchers). */
export const CHUNK_FETCHERS = 4;
/** How long discovery gathers offers once the first one arrived. */
const DISCOVERY_MS = 3_000;
/** Attempts per chunk before the candidate is given up. */
const MAX_CHUNK_ATTEMPTS = 12;
const PROGRESS_INTERVAL_MS = 2_000;

/** Progress of a restore, as logged. */
export interface SyncProgress {
  height: number;
  chunks: number;
  totalChunks: number;
  bytes: number;
  bytesPerSecond: number;
}

/** What state sync works with. */
export interface StateSyncOptions {
  client: StateSyncClient;
  peers: () => PeerKey[];
  penalize: (peer: PeerKey, reason: string) => void;
  headerAt: VerifiedHeaderAt;
  /** The empty state to restore into. */
  state: VersionedState;
  /** Records the chain state the restored height ends with. */
  saveChainState: (state: ChainState) => Promise<void>;
  chainContext: string;
  /** Lowest checkpoint height usable: the trust height − 1 (no backwards verification). */
  minHeight: number;
  /** Give up after this long. */
  deadlineMs: number;
  log: {
    info: (fields: Record<string, unknown>, message: string) => void;
    warn: (fields: Record<string, unknown>, message: string) => void;
  };
}

/** A checkpoint offered by some peers. */
export interface Candidate {
  manifest: Manifest;
  peers: PeerKey[];
}

/**
 * Asks every peer for its checkpoints until some arrived (and `DISCOVERY_MS` more) or the deadline; the
 * candidates come ranked by how many peers offer them, then by height.
 */
async function discover(o: StateSyncOptions, deadline: number): Promise<Candidate[]> {
  const offers = new Map<string, Candidate>();
  let firstOfferAt: number | undefined;
  while (Date.now() < deadline) {
    await Promise.all(
      o.peers().map(async (peer) => {
        const manifests = await o.client.checkpoints(peer).catch(() => []);
        for (const manifest of manifests) {
          if (manifest.version < o.minHeight) continue;
          const key = toHex(manifestHash(manifest));
          const c = offers.get(key) ?? { manifest, peers: [] };
          if (!c.peers.includes(peer)) c.peers.push(peer);
          offers.set(key, c);
        }
      }),
    );
    if (offers.size > 0) firstOfferAt ??= Date.now();
    if (firstOfferAt !== undefined && Date.now() - firstOfferAt >= DISCOVERY_MS) break;
    await sleep(500);
  }
  // Most sources first (a checkpoint only some peers have written yet leaves fewer to fetch from and to fall
  // back on when one serves bad chunks), then the newest.
  return [...offers.values()].sort(
    (a, b) => b.peers.length - a.peers.length || b.manifest.version - a.manifest.version,
  );
}

/** Retries `fn` until it succeeds, a trust error, or the deadline. */
async function untilDeadline<T>(deadline: number, what: string, fn: () => Promise<T>): Promise<T> {
  let last: Error | undefined;
  while (Date.now() < deadline) {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof TrustError) throw err;
      last = err as Error;
      await sleep(500);
    }
  }
  throw new Error(`state sync: ${what} before the deadline${last ? `: ${last.message}` : ''}`);
}

/** Checks a peer's chain state after `height` against the verified header of `height + 1`. */
function chainStateProblem(
  cs: ChainState,
  header: BlockHeader,
  next: BlockHeader,
  height: number,
  chainContext: string,
): string | null {
  if (cs.chainId !== chainContext) return 'chain state of another chain';
  if (cs.lastBlockHeight !== height) return `chain state after ${cs.lastBlockHeight}, asked ${height}`;
  if (!bytesEqual(blockHash(header), next.lastBlockHash)) return 'header is not the verified block';
  if (!bytesEqual(cs.lastBlockHash, next.lastBlockHash)) return 'wrong last block hash';
  if (cs.lastBlockTime !== header.time) return 'wrong last block time';
  if (!bytesEqual(cs.appHash, next.appHash)) return 'wrong app hash';
  if (!bytesEqual(cs.validators.hash(), next.validatorsHash)) return 'wrong validators';
  if (!bytesEqual(cs.nextValidators.hash(), next.nextValidatorsHash)) return 'wrong next validators';
  if (cs.lastValidators === null || !bytesEqual(cs.lastValidators.hash(), header.validatorsHash))
    return 'wrong last validators';
  return null;
}

/** Fetches a chain state at `height` any offering peer can prove against the verified headers. */
async function verifiedChainState(o: StateSyncOptions, c: Candidate, next: BlockHeader): Promise<ChainState> {
  const height = c.manifest.version;
  const problems: string[] = [];
  for (const peer of [...c.peers, ...o.peers().filter((p) => !c.peers.includes(p))]) {
    try {
      const { state, header } = await o.client.chainState(peer, height);
      const problem = chainStateProblem(state, header, next, height, o.chainContext);
      if (problem === null) return state;
      o.penalize(peer, `malformed chain state: ${problem}`);
      problems.push(`${peer.slice(0, 16)}: ${problem}`);
    } catch (err) {
      problems.push(`${peer.slice(0, 16)}: ${(err as Error).message}`);
    }
  }
  throw new Error(`no peer gave a verifiable chain state at ${height} (${problems.join('; ')})`);
}

/**
 * Fetches every chunk of the candidate from its peers, `CHUNK_FETCHERS` at a time; a chunk failing its
 * digest or proof drops and penalises its peer and is asked of another. Resolves when all are restored.
 */
export async function fetchChunks(
  o: StateSyncOptions,
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

/**
 * Runs state sync to completion: resolves with the restored height, or rejects (a `TrustError` when the
 * trust root is wrong or unusable, which retrying cannot fix).
 */
export async function runStateSync(o: StateSyncOptions): Promise<number> {
  const deadline = Date.now() + o.deadlineMs;
  // The trust root first: a wrong one stops here, before any checkpoint is looked at.
  await untilDeadline(deadline, `verify the trust root at ${o.minHeight + 1}`, () =>
    o.headerAt(o.minHeight + 1),
  );
  for (;;) {
    const candidates = await discover(o, deadline);
    if (candidates.length === 0)
      throw new Error(`state sync: no peer offered a checkpoint at or above height ${o.minHeight} in time`);
    for (const c of candidates) {
      const height = c.manifest.version;
      try {
        const next = await untilDeadline(deadline, `verify header ${height + 1}`, () =>
          o.headerAt(height + 1),
        );
        if (!bytesEqual(next.appHash, c.manifest.root)) {
          for (const peer of c.peers)
            o.penalize(peer, 'malformed checkpoint: root is not the verified app hash');
          o.log.warn(
            { height, peers: c.peers },
            'state sync: checkpoint root is not the verified app hash; rejected',
          );
          continue;
        }
        const chainState = await verifiedChainState(o, c, next);
        o.log.info(
          { height, chunks: c.manifest.chunks.length, peers: c.peers.length, root: toHex(c.manifest.root) },
          'state sync: restoring checkpoint',
        );
        const restore = new CheckpointRestore(o.state, c.manifest);
        try {
          await fetchChunks(o, c, restore, deadline);
          await restore.finish();
        } catch (err) {
          o.state.rollback();
          throw err;
        }
        await o.saveChainState(chainState);
        o.log.info(
          { height, entries: restore.entries },
          'state sync: state restored; continuing with block sync',
        );
        return height;
      } catch (err) {
        if (err instanceof TrustError) throw err;
        o.log.warn({ height, err: (err as Error).message }, 'state sync: checkpoint failed; trying the next');
      }
    }
    if (Date.now() >= deadline)
      throw new Error('state sync: no checkpoint could be restored before the deadline');
  }
}

/**
 * Finishes a restore a crash cut short after the state was committed but before the chain state was
 * recorded: verifies the state's root against the verified header and fetches the chain state again.
 */
export async function resumeChainState(o: StateSyncOptions): Promise<number> {
  const height = o.state.latestVersion();
  const deadline = Date.now() + o.deadlineMs;
  const next = await untilDeadline(deadline, `verify header ${height + 1}`, () => o.headerAt(height + 1));
  const root = o.state.rootHash(height);
  if (!bytesEqual(next.appHash, root))
    throw new TrustError(
      `the restored state at ${height} (root ${toHex(root)}) is not the verified one: remove the data directory's state and start again`,
    );
  const manifest = { version: height, root, chunks: [] };
  const chainState = await untilDeadline(deadline, `get the chain state at ${height}`, () =>
    verifiedChainState(o, { manifest, peers: o.peers() }, next),
  );
  await o.saveChainState(chainState);
  o.log.info({ height }, 'state sync: resumed restore finished; continuing with block sync');
  return height;
}
