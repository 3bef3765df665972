/**
 * RootHash events and streams: `GetEvents` at a height, and per runtime `WatchBlocks` (the latest block at
 * once, then each finalized round's), `WatchEvents` and `WatchExecutorCommitments` (the commitments the
 * consensus layer accepted).
 */
import { bytesEqual } from '../../codec/bytes.ts';
import type { CborValue } from '../../codec/cbor.ts';
import { bytes } from '../../codec/schema.ts';
import type { AppEvent } from '../../consensus/api/application.ts';
import { RoothashEventKinds } from '../../services/roothash/api/events.ts';
import { RoothashQueries as Q } from '../../services/roothash/api/queries.ts';
import type { StateReader } from '../../state/api.ts';
import { serviceEvents } from '../events.ts';
import type { ApiMethod } from '../method.ts';
import { decodeRequestWith } from '../queries.ts';
import { getEventsMethod } from './events.ts';
import { type ChainSource, latestState, perBlock, streamMethod } from './watch.ts';

const SERVICE = 'oasis-core.RootHash';
const runtimeIdOf = (r: CborValue | undefined) => decodeRequestWith(bytes(32), r);

function ofRuntime(events: readonly AppEvent[], id: Uint8Array): AppEvent[] {
  return events.filter((e) => {
    const v = e.value as { runtime_id?: Uint8Array };
    return e.module === 'roothash' && v.runtime_id !== undefined && bytesEqual(v.runtime_id, id);
  });
}

const annotated = (height: number, state: StateReader, id: Uint8Array) => ({
  height,
  block: Q.getLatestBlock(state, id),
});

/** `RootHash.GetEvents` and the three per-runtime streams. */
export function roothashWatchMethods(source: ChainSource): ApiMethod[] {
  return [
    getEventsMethod(SERVICE, 'roothash', source),
    streamMethod(SERVICE, 'WatchBlocks', async function* (r, ctx) {
      const id = runtimeIdOf(r);
      const now = latestState(source);
      // The latest block first, when the runtime has one (an unknown runtime just waits, as in oasis-core).
      if (now !== undefined && Q.hasRuntime(now, id)) yield annotated(source.latestHeight(), now, id);
      yield* perBlock(source, ctx.signal, (b) =>
        ofRuntime(b.events, id).some((e) => e.kind === RoothashEventKinds.finalized)
          ? [annotated(b.height, b.state, id)]
          : [],
      );
    }),
    streamMethod(SERVICE, 'WatchEvents', (r, ctx) => {
      const id = runtimeIdOf(r);
      return perBlock(source, ctx.signal, (b) =>
        serviceEvents(ofRuntime(b.events, id), 'roothash', b.height),
      );
    }),
    streamMethod(SERVICE, 'WatchExecutorCommitments', (r, ctx) => {
      const id = runtimeIdOf(r);
      return perBlock(source, ctx.signal, (b) =>
        ofRuntime(b.events, id)
          .filter((e) => e.kind === RoothashEventKinds.executorCommitted)
          .map((e) => (e.value as { commit: unknown }).commit),
      );
    }),
  ];
}
