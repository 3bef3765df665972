/**
 * Runtime events as runtime-sdk emits them and `@oasisprotocol/client-rt`'s event visitor reads them:
 * key = module name || big-endian u32 code, value = CBOR array of the event bodies with that key. They are
 * stored as IO tree tags (`E || key || tx hash`), so a client can fetch a round's events with proofs.
 */

import { concatBytes, toHex, utf8 } from '../../codec/bytes.ts';
import { type CborValue, encodeCanonical } from '../../codec/cbor.ts';

/** One event emitted by a transaction. */
export interface RuntimeEvent {
  module: string;
  code: number;
  body: CborValue;
}

/** The tag key of a module's event code. */
export function eventKey(module: string, code: number): Uint8Array {
  const c = new Uint8Array(4);
  new DataView(c.buffer).setUint32(0, code);
  return concatBytes(utf8(module), c);
}

const TAG_PREFIX = Uint8Array.of(0x45); // 'E'

/** IO tree tag entries of one transaction's events: one entry per key, bodies merged in emission order. */
export function eventTags(
  txHash: Uint8Array,
  events: readonly RuntimeEvent[],
): Array<[Uint8Array, Uint8Array]> {
  const byKey = new Map<string, { key: Uint8Array; bodies: CborValue[] }>();
  for (const e of events) {
    const key = eventKey(e.module, e.code);
    const id = toHex(key);
    const group = byKey.get(id) ?? { key, bodies: [] };
    group.bodies.push(e.body);
    byKey.set(id, group);
  }
  return [...byKey.values()].map(({ key, bodies }) => [
    concatBytes(TAG_PREFIX, key, txHash),
    encodeCanonical(bodies),
  ]);
}

/** An event as a client reads it back from the IO tree: its tag key and the CBOR array of bodies. */
export interface PlainEvent {
  key: Uint8Array;
  value: Uint8Array;
}

/** Length of the transaction hash that ends every event tag key. */
const TX_HASH_BYTES = 32;

/**
 * Every transaction's events from a batch's IO write log (the inverse of `eventTags`), by hex transaction
 * hash, each in the log's (key) order: one pass over the log, where looking each transaction up on its own
 * walked the whole log per transaction (quadratic in the batch size, on every round's critical path).
 */
export function eventsByTx(
  ioWriteLog: ReadonlyArray<readonly [Uint8Array, Uint8Array | null]>,
): Map<string, PlainEvent[]> {
  const out = new Map<string, PlainEvent[]>();
  for (const [k, v] of ioWriteLog) {
    if (v === null || k.length <= TAG_PREFIX.length + TX_HASH_BYTES || k[0] !== TAG_PREFIX[0]) continue;
    const id = toHex(k.subarray(k.length - TX_HASH_BYTES));
    const events = out.get(id) ?? [];
    events.push({ key: k.slice(TAG_PREFIX.length, k.length - TX_HASH_BYTES), value: v });
    out.set(id, events);
  }
  return out;
}

/** The events of transaction `txHash` from a batch's IO write log: every tag entry `E || key || txHash`. */
export function eventsOfTx(
  ioWriteLog: ReadonlyArray<readonly [Uint8Array, Uint8Array | null]>,
  txHash: Uint8Array,
): PlainEvent[] {
  return eventsByTx(ioWriteLog).get(toHex(txHash)) ?? [];
}
