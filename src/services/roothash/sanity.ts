/**
 * Roothash invariants (debug sanity checks after each block): every runtime's chain and pool agree with
 * each other and with the round-timeout queue, and its incoming message queue with its metadata, so a
 * state-transition bug surfaces at the block that caused it.
 */
import { bytesEqual, toHex } from '../../codec/bytes.ts';
import type { StateReader } from '../../state/api.ts';
import { RoothashStateReader } from './state.ts';

function fail(message: string): never {
  throw new Error(`roothash: sanity: ${message}`);
}

/** The queue holds `size` messages with ascending ids below `next_sequence_number`. */
function checkIncomingQueue(st: RoothashStateReader, runtimeId: Uint8Array, id: string): void {
  const meta = st.incomingMessageQueueMeta(runtimeId);
  const queued = st.incomingMessages(runtimeId);
  if (queued.length !== meta.size)
    fail(`${id}: ${queued.length} incoming messages queued, size ${meta.size}`);
  queued.forEach((m, i) => {
    if (m.id >= meta.next_sequence_number) fail(`${id}: incoming message ${m.id} beyond the sequence`);
    if (i > 0 && m.id <= queued[i - 1]!.id) fail(`${id}: incoming messages out of order`);
  });
}

/** Throws on the first broken invariant. */
export function checkRoothashInvariants(state: StateReader): void {
  const st = new RoothashStateReader(state);
  const armed = new Map<string, bigint>();
  for (const rs of st.runtimeStates()) {
    const id = toHex(rs.runtime.id);
    const last = rs.last_block.header;
    if (!bytesEqual(last.namespace, rs.runtime.id)) fail(`${id}: last block of another runtime`);
    if (last.round < rs.genesis_block.header.round) fail(`${id}: last block before genesis`);
    if (rs.last_normal_round > last.round) fail(`${id}: last normal round ahead of the last block`);
    if (rs.pool !== undefined && rs.pool.round !== last.round + 1n) fail(`${id}: pool for the wrong round`);
    if (rs.suspended && rs.pool !== undefined) fail(`${id}: suspended with a commitment pool`);
    checkIncomingQueue(st, rs.runtime.id, id);
    if (rs.timeout !== 0n) {
      if (rs.pool === undefined) fail(`${id}: round timer without a pool`);
      armed.set(id, rs.timeout);
    }
  }
  for (const [key, runtimeId] of st.dueTimeouts(Number.MAX_SAFE_INTEGER)) {
    const at = new DataView(key.buffer, key.byteOffset + 1, 8).getBigUint64(0);
    const id = toHex(runtimeId);
    if (armed.get(id) !== at) fail(`${id}: stale round-timeout queue entry at ${at}`);
    armed.delete(id);
  }
  if (armed.size > 0) fail(`timers missing from the queue: ${[...armed.keys()].join(', ')}`);
}
