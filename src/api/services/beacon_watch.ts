/**
 * The Beacon streams and waits: `WatchEpochs` and `WatchLatestEpoch` send the current epoch at once and
 * then each new one as its first block commits; `WaitEpoch` returns once the epoch is reached (bounded by
 * the caller's signal and `WAIT_EPOCH_MAX_MS`).
 */
import { u64 } from '../../codec/schema.ts';
import { getEpoch } from '../../services/beacon/api/queries.ts';
import { GrpcError, GrpcStatus } from '../errors.ts';
import { type ApiMethod, unaryMethod } from '../method.ts';
import { decodeRequestWith } from '../queries.ts';
import { type ChainSource, latestState, perBlock, streamMethod } from './watch.ts';

const SERVICE = 'oasis-core.Beacon';

/** The longest a `WaitEpoch` call waits before giving up (DEADLINE_EXCEEDED). */
export const WAIT_EPOCH_MAX_MS = 15 * 60_000;

/** The epoch now, then every epoch change, until `signal` aborts. */
async function* epochs(source: ChainSource, signal: AbortSignal): AsyncIterable<bigint> {
  const now = latestState(source);
  let last = now === undefined ? undefined : getEpoch(now);
  if (last !== undefined) yield last;
  yield* perBlock(source, signal, (b) => {
    const epoch = getEpoch(b.state);
    if (epoch === last) return [];
    last = epoch;
    return [epoch];
  });
}

/** Resolves once the chain reaches `epoch`. */
async function waitEpoch(source: ChainSource, epoch: bigint, signal: AbortSignal): Promise<null> {
  const now = latestState(source);
  if (now !== undefined && getEpoch(now) >= epoch) return null;
  const deadline = AbortSignal.timeout(WAIT_EPOCH_MAX_MS);
  // Every block is checked (not only epoch changes), so a change just before subscribing is not missed.
  for await (const reached of perBlock(source, AbortSignal.any([signal, deadline]), (b) => [
    getEpoch(b.state) >= epoch,
  ])) {
    if (reached) return null;
  }
  if (deadline.aborted)
    throw new GrpcError(GrpcStatus.deadlineExceeded, `epoch ${epoch} not reached in time`);
  throw new GrpcError(GrpcStatus.cancelled, 'cancelled');
}

/** `WatchEpochs`, `WatchLatestEpoch` and `WaitEpoch`. */
export function beaconWatchMethods(source: ChainSource): ApiMethod[] {
  return [
    streamMethod(SERVICE, 'WatchEpochs', (_r, ctx) => epochs(source, ctx.signal)),
    streamMethod(SERVICE, 'WatchLatestEpoch', (_r, ctx) => epochs(source, ctx.signal)),
    unaryMethod(SERVICE, 'WaitEpoch', (r, ctx) => waitEpoch(source, decodeRequestWith(u64, r), ctx.signal)),
  ];
}
