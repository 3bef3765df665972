/**
 * Turning an executed batch into what the executor commits to: the state write log and new state root,
 * the IO tree (each transaction's input and output under `T || tx hash || kind`, oasis-core's layout) and
 * its root, and the hashes of outgoing and processed incoming messages.
 */

import { compareBytes, concatBytes } from '../../../codec/bytes.ts';
import { encodeCanonical } from '../../../codec/cbor.ts';
import { EMPTY_HASH, sha512_256 } from '../../../crypto/hash.ts';
import { inMessagesHash } from '../../../services/roothash/api/incoming.ts';
import { messagesHash } from '../../../services/roothash/api/messages.ts';
import { StateOverlay } from '../../../state/overlay.ts';
import { eventTags, type RuntimeEvent } from '../../protocol/events.ts';
import type {
  RuntimeExecuteTxBatchRequest,
  RuntimeExecuteTxBatchResponse,
  WriteLogEntry,
} from '../../protocol/types.ts';
import { MemoryTreeStore } from '../../state/tree_store.ts';
import type { BatchOutcome, RuntimeApp } from './app.ts';

/** IO tree artifact kinds (oasis-core `go/runtime/transaction`). */
export const IoArtifact = Object.freeze({ input: 1, output: 2 });
const IO_TX_PREFIX = 0x54; // 'T'

/** The transaction hash block events are tagged with (oasis-core `TagBlockTxHash`: all zeros). */
export const BLOCK_TX_HASH = new Uint8Array(32);

/** Re-exported: the messages hash lives with the roothash types that commit to it. */
export { messagesHash };

/**
 * The IO write log of a batch: input and output artifacts and event tags of every transaction, and the
 * block's own event tags, sorted by key.
 */
export function ioWriteLog(
  inputs: Uint8Array[],
  hashes: Uint8Array[],
  results: Uint8Array[],
  events: RuntimeEvent[][],
  blockEvents: RuntimeEvent[] = [],
): WriteLogEntry[] {
  const log: WriteLogEntry[] = [...eventTags(BLOCK_TX_HASH, blockEvents)];
  inputs.forEach((raw, i) => {
    log.push(...eventTags(hashes[i]!, events[i] ?? []));
    const key = (kind: number): Uint8Array =>
      concatBytes(Uint8Array.of(IO_TX_PREFIX), hashes[i]!, Uint8Array.of(kind));
    log.push([key(IoArtifact.input), encodeCanonical([raw, i])]);
    log.push([key(IoArtifact.output), encodeCanonical([results[i]!])]);
  });
  // Duplicate transactions in a batch map to the same keys; the last write wins as in the tree.
  return log.sort((a, b) => compareBytes(a[0], b[0]));
}

/**
 * Executes `request` with `app` on `store` and builds the full response (the new root is kept in `store`).
 * For an app that executes synchronously; `executeBatchAsync` serves any app.
 */
export function executeBatch(
  app: RuntimeApp,
  store: MemoryTreeStore,
  request: RuntimeExecuteTxBatchRequest,
): RuntimeExecuteTxBatchResponse {
  const overlay = new StateOverlay(store.reader(request.state_root));
  const outcome = app.executeBatch(overlay, request);
  if (outcome instanceof Promise) throw new Error('the app executes asynchronously: use executeBatchAsync');
  return batchResponse(store, request, overlay, outcome);
}

/** `executeBatch` for an app whose execution may be asynchronous. */
export async function executeBatchAsync(
  app: RuntimeApp,
  store: MemoryTreeStore,
  request: RuntimeExecuteTxBatchRequest,
): Promise<RuntimeExecuteTxBatchResponse> {
  const overlay = new StateOverlay(store.reader(request.state_root));
  const outcome = await app.executeBatch(overlay, request);
  return batchResponse(store, request, overlay, outcome);
}

function batchResponse(
  store: MemoryTreeStore,
  request: RuntimeExecuteTxBatchRequest,
  overlay: StateOverlay,
  outcome: BatchOutcome,
): RuntimeExecuteTxBatchResponse {
  const stateWriteLog = overlay.writes();
  const stateRoot = store.apply(request.state_root, stateWriteLog);
  const txHashes = request.inputs.map((raw) => sha512_256(raw));
  const ioLog = ioWriteLog(request.inputs, txHashes, outcome.results, outcome.events, outcome.blockEvents);
  const ioRoot = new MemoryTreeStore(1).apply(EMPTY_HASH, ioLog);
  const processed = request.in_msgs.slice(0, outcome.inMessagesProcessed);
  return {
    header: {
      round: request.round,
      io_root: ioRoot,
      state_root: stateRoot,
      messages_hash: messagesHash(outcome.messages),
      in_msgs_hash: inMessagesHash(processed),
      in_msgs_count: processed.length,
    },
    io_write_log: ioLog,
    state_write_log: stateWriteLog,
    messages: outcome.messages,
    results: outcome.results,
    tx_hashes: txHashes,
  };
}
