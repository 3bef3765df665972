/**
 * Turning an executed batch into what the executor commits to: the state write log and new state root,
 * the IO tree (each transaction's input and output under `T || tx hash || kind`, oasis-core's layout) and
 * its root, and the hashes of outgoing and processed incoming messages.
 */

import { sha512_256 } from '../../../crypto/hash.ts';
import { inMessagesHash } from '../../../services/roothash/api/incoming.ts';
import { messagesHash } from '../../../services/roothash/api/messages.ts';
import { StateOverlay } from '../../../state/overlay.ts';
import { BLOCK_TX_HASH, IoArtifact, ioWriteLog } from '../../protocol/io_tree.ts';
import type { RuntimeExecuteTxBatchRequest, RuntimeExecuteTxBatchResponse } from '../../protocol/types.ts';
import { type MemoryTreeStore, rootOfEntries } from '../../state/tree_store.ts';
import type { BatchOutcome, RuntimeApp } from './app.ts';

/** Re-exported: the IO tree's layout is declared once, with the protocol both sides speak. */
export { BLOCK_TX_HASH, IoArtifact, ioWriteLog };

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
  const ioRoot = rootOfEntries(ioLog);
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
