/**
 * Roothash state under oasis-core's prefixes: runtime states at 0x20 [H(id)], parameters at 0x21, the
 * round-timeout queue at 0x22 [height, H(id)] (value: runtime ID), the latest state and IO roots at
 * 0x25/0x26 [H(id)], the last normal round's results at 0x27 [H(id)], the incoming message queue's
 * metadata at 0x28 [H(id)] and its messages at 0x29 [H(id), message id], and past round roots at
 * 0x2a [H(id), round].
 */
import { u64be } from '../../codec/bytes.ts';
import { decodeOwnCanonical, encodeCanonical } from '../../codec/cbor.ts';
import { sha512_256 } from '../../crypto/hash.ts';
import type { StateReader, StateWriter } from '../../state/api.ts';
import { KeyPrefix, makeKey } from '../../state/keys.ts';
import {
  type IncomingMessage,
  type IncomingMessageQueueMeta,
  incomingMessageCodec,
  incomingMessageQueueMetaCodec,
} from './api/incoming.ts';
import { type RoothashParameters, roothashParametersCodec } from './api/params.ts';
import {
  decodeRoundRoots,
  type RoundResults,
  type RoundRoots,
  type RuntimeState,
  roundResultsCodec,
  runtimeStateCodec,
} from './api/runtime_state.ts';

const idKey = (prefix: number, id: Uint8Array) => makeKey(prefix, sha512_256(id));
const pastRootsPrefix = (id: Uint8Array) => idKey(KeyPrefix.roothashPastRoots, id);
const inMsgKey = (runtimeId: Uint8Array, id: bigint) =>
  makeKey(KeyPrefix.roothashInMsgQueue, sha512_256(runtimeId), u64be(id));

/** Read-only roothash state. */
export class RoothashStateReader {
  constructor(readonly state: StateReader) {}

  /** Parameters; throws before genesis. */
  parameters(): RoothashParameters {
    const v = this.state.get(makeKey(KeyPrefix.roothashParameters));
    if (v === undefined) throw new Error('roothash: consensus parameters not initialized');
    return roothashParametersCodec.decode(decodeOwnCanonical(v), 'params');
  }

  /** Parameters, or undefined before the roothash's genesis. */
  parametersIfSet(): RoothashParameters | undefined {
    const v = this.state.get(makeKey(KeyPrefix.roothashParameters));
    return v === undefined ? undefined : roothashParametersCodec.decode(decodeOwnCanonical(v), 'params');
  }

  /** A runtime's state, if the roothash knows the runtime. */
  runtimeState(id: Uint8Array): RuntimeState | undefined {
    const v = this.state.get(idKey(KeyPrefix.roothashRuntimeState, id));
    return v === undefined ? undefined : runtimeStateCodec.decode(decodeOwnCanonical(v), 'runtime_state');
  }

  /** True when the roothash knows the runtime (cheaper than decoding its state). */
  hasRuntimeState(id: Uint8Array): boolean {
    return this.state.get(idKey(KeyPrefix.roothashRuntimeState, id)) !== undefined;
  }

  /** Every runtime state, in key order. */
  *runtimeStates(): Iterable<RuntimeState> {
    for (const [, v] of this.state.entries(makeKey(KeyPrefix.roothashRuntimeState))) {
      yield runtimeStateCodec.decode(decodeOwnCanonical(v), 'runtime_state');
    }
  }

  /** The last normal round's results. */
  lastRoundResults(id: Uint8Array): RoundResults | undefined {
    const v = this.state.get(idKey(KeyPrefix.roothashLastRoundResults, id));
    return v === undefined ? undefined : roundResultsCodec.decode(decodeOwnCanonical(v), 'round_results');
  }

  /** Roots of a past normal round, if still kept. */
  roundRoots(id: Uint8Array, round: bigint): RoundRoots | undefined {
    const v = this.state.get(makeKey(KeyPrefix.roothashPastRoots, sha512_256(id), u64be(round)));
    return v === undefined ? undefined : decodeRoundRoots(decodeOwnCanonical(v), 'round_roots');
  }

  /** Every kept round's roots, ascending by round. */
  pastRoundRoots(id: Uint8Array): Array<[bigint, RoundRoots]> {
    const prefix = pastRootsPrefix(id);
    const out: Array<[bigint, RoundRoots]> = [];
    for (const [k, v] of this.state.entries(prefix)) {
      const round = new DataView(k.buffer, k.byteOffset + prefix.length, 8).getBigUint64(0);
      out.push([round, decodeRoundRoots(decodeOwnCanonical(v), 'round_roots')]);
    }
    return out;
  }

  /** The runtime's incoming message queue metadata (empty for a runtime that never had a message). */
  incomingMessageQueueMeta(runtimeId: Uint8Array): IncomingMessageQueueMeta {
    const v = this.state.get(idKey(KeyPrefix.roothashInMsgQueueMeta, runtimeId));
    if (v === undefined) return { size: 0, next_sequence_number: 0n };
    return incomingMessageQueueMetaCodec.decode(decodeOwnCanonical(v), 'in_msg_queue_meta');
  }

  /**
   * Queued incoming messages in sequence order (the order the runtime must process them): at most
   * `limit` (all when absent), starting at message id `offset`.
   */
  incomingMessages(runtimeId: Uint8Array, limit?: number, offset = 0n): IncomingMessage[] {
    const out: IncomingMessage[] = [];
    if (limit === 0) return out;
    for (const [, v] of this.state.entries(idKey(KeyPrefix.roothashInMsgQueue, runtimeId))) {
      const m = incomingMessageCodec.decode(decodeOwnCanonical(v), 'in_msg');
      if (m.id < offset) continue;
      out.push(m);
      if (limit !== undefined && out.length >= limit) break;
    }
    return out;
  }

  /** Runtime IDs whose round timer fires at or before `height`, in queue order. */
  dueTimeouts(height: number): Array<[Uint8Array, Uint8Array]> {
    const out: Array<[Uint8Array, Uint8Array]> = [];
    for (const [k, v] of this.state.entries(makeKey(KeyPrefix.roothashRoundTimeoutQueue))) {
      const at = new DataView(k.buffer, k.byteOffset + 1, 8).getBigUint64(0);
      if (at > BigInt(height)) break;
      out.push([k, v]);
    }
    return out;
  }
}

/** Read-write roothash state. */
export class RoothashState extends RoothashStateReader {
  declare readonly state: StateWriter;

  constructor(state: StateWriter) {
    super(state);
  }

  setParameters(p: RoothashParameters): void {
    this.state.set(makeKey(KeyPrefix.roothashParameters), encodeCanonical(roothashParametersCodec.encode(p)));
  }

  /** Stores a runtime state, moving its timeout queue entry and latest roots along with it. */
  setRuntimeState(s: RuntimeState): void {
    const id = s.runtime.id;
    const previous = this.runtimeState(id);
    if (previous !== undefined && previous.timeout !== 0n)
      this.state.remove(timeoutKey(previous.timeout, id));
    if (s.timeout !== 0n) this.state.set(timeoutKey(s.timeout, id), id);
    this.state.set(idKey(KeyPrefix.roothashRuntimeState, id), encodeCanonical(runtimeStateCodec.encode(s)));
    this.state.set(idKey(KeyPrefix.roothashStateRoot, id), s.last_block.header.state_root);
    this.state.set(idKey(KeyPrefix.roothashIORoot, id), s.last_block.header.io_root);
  }

  setLastRoundResults(id: Uint8Array, r: RoundResults): void {
    this.state.set(
      idKey(KeyPrefix.roothashLastRoundResults, id),
      encodeCanonical(roundResultsCodec.encode(r)),
    );
  }

  /** Appends `m` (whose id is the queue's next sequence number) and counts it in the metadata. */
  enqueueIncomingMessage(runtimeId: Uint8Array, m: IncomingMessage): void {
    const meta = this.incomingMessageQueueMeta(runtimeId);
    if (m.id !== meta.next_sequence_number) throw new Error('roothash: incoming message out of sequence');
    this.state.set(inMsgKey(runtimeId, m.id), encodeCanonical(incomingMessageCodec.encode(m)));
    this.#setQueueMeta(runtimeId, { size: meta.size + 1, next_sequence_number: m.id + 1n });
  }

  /** Removes processed messages from the queue and uncounts them. */
  dequeueIncomingMessages(runtimeId: Uint8Array, processed: readonly IncomingMessage[]): void {
    if (processed.length === 0) return;
    const meta = this.incomingMessageQueueMeta(runtimeId);
    if (processed.length > meta.size) throw new Error('roothash: incoming queue size is inconsistent');
    for (const m of processed) this.state.remove(inMsgKey(runtimeId, m.id));
    this.#setQueueMeta(runtimeId, { ...meta, size: meta.size - processed.length });
  }

  #setQueueMeta(runtimeId: Uint8Array, meta: IncomingMessageQueueMeta): void {
    this.state.set(
      idKey(KeyPrefix.roothashInMsgQueueMeta, runtimeId),
      encodeCanonical(incomingMessageQueueMetaCodec.encode(meta)),
    );
  }

  /** Records a normal round's roots and drops the oldest beyond `maxKept` (0 keeps none). */
  addRoundRoots(id: Uint8Array, round: bigint, roots: RoundRoots, maxKept: bigint): void {
    if (maxKept === 0n) return;
    this.state.set(
      makeKey(KeyPrefix.roothashPastRoots, sha512_256(id), u64be(round)),
      encodeCanonical(roots),
    );
    const kept = [...this.state.entries(pastRootsPrefix(id))];
    for (let i = 0; i < kept.length - Number(maxKept); i++) this.state.remove(kept[i]![0]);
  }
}

function timeoutKey(height: bigint, id: Uint8Array): Uint8Array {
  return makeKey(KeyPrefix.roothashRoundTimeoutQueue, u64be(height), sha512_256(id));
}
