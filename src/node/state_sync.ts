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
import type { PeerKey } from '../p2p/api.ts';
import type { VersionedState } from '../state/api.ts';
import { type Candidate, fetchChunks } from '../state/checkpoint/fetch.ts';
import { manifestHash } from '../state/checkpoint/manifest.ts';
import { CheckpointRestore } from '../state/checkpoint/restore.ts';
import type { StateSyncClient } from './checkpoint_protocol.ts';
import { TrustError, type VerifiedHeaderAt } from './trusted_headers.ts';

export { type Candidate, CHUNK_FETCHERS, fetchChunks, type SyncProgress } from '../state/checkpoint/fetch.ts';

/** How long discovery gathers offers once the first one arrived. */
const DISCOVERY_MS = 3_000;

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
