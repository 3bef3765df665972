/**
 * Incoming runtime messages (consensus → runtime, `go/roothash/api/message/incoming_message.go`):
 * `roothash.SubmitMsg` queues an IncomingMessage for a runtime, the runtime processes a prefix of its
 * queue each round and commits to it with `in_msgs_count` and `in_msgs_hash`, and finalization removes
 * that prefix. Stored and served in oasis-core's shapes (omitempty tag, fee, tokens, data).
 */

import { bytesEqual } from '../../../codec/bytes.ts';
import type { CborValue } from '../../../codec/cbor.ts';
import { quantityToBytes } from '../../../codec/quantity.ts';
import {
  bytesCodec,
  type Codec,
  field,
  hexCodec,
  quantityField,
  structCodec,
  u64Field,
  uintCodec,
  withDefault,
} from '../../../codec/typed.ts';
import { addressCodec } from '../../../crypto/address.ts';
import { RoothashErrors } from './errors.ts';
import { messagesHash } from './messages.ts';

const optionalData = () =>
  field(
    withDefault(bytesCodec(), () => new Uint8Array(0)),
    true,
  );

/** A queued incoming message (`message.IncomingMessage`); `id` is its queue sequence number. */
export const incomingMessageCodec = structCodec({
  id: u64Field(false),
  caller: field(addressCodec),
  tag: u64Field(),
  fee: quantityField(),
  tokens: quantityField(),
  data: optionalData(),
});

/** An incoming message (same field types as the runtime host protocol's `IncomingMessage`). */
export type IncomingMessage = ReturnType<typeof incomingMessageCodec.decode>;

/** The queue's bookkeeping (`message.IncomingMessageQueueMeta`). */
export const incomingMessageQueueMetaCodec = structCodec({
  /** Messages currently queued. */
  size: field(
    withDefault(uintCodec, () => 0),
    true,
  ),
  /** The id the next queued message gets. */
  next_sequence_number: u64Field(),
});

/** Incoming message queue metadata. */
export type IncomingMessageQueueMeta = ReturnType<typeof incomingMessageQueueMetaCodec.decode>;

/** Body of `roothash.SubmitMsg {id, tag?, fee?, tokens?, data?}`. */
export const submitMsgBodyCodec = structCodec({
  id: field(hexCodec(32)),
  tag: u64Field(),
  fee: quantityField(),
  tokens: quantityField(),
  data: optionalData(),
});

/** A decoded `roothash.SubmitMsg` body. */
export type SubmitMsgBody = ReturnType<typeof submitMsgBodyCodec.decode>;

/** Decodes a transaction body; a malformed one is `roothash`/1 (invalid argument), as in oasis-core. */
export function decodeRoothashBody<T>(codec: Codec<T>, body: CborValue | undefined): T {
  try {
    return codec.decode(body ?? null, 'body');
  } catch {
    throw RoothashErrors.invalidArgument();
  }
}

/**
 * An incoming message with every field present and quantities as big-endian bytes: the form the runtime
 * host protocol carries it in and the form a runtime hashes processed messages in. oasis-core omits a
 * zero tag/fee/tokens and empty data in the hash; the two agree whenever those are set.
 */
export function incomingMessageWire(m: IncomingMessage): CborValue {
  return {
    id: m.id,
    caller: m.caller,
    tag: m.tag,
    fee: quantityToBytes(m.fee),
    tokens: quantityToBytes(m.tokens),
    data: m.data,
  } as unknown as CborValue;
}

/** `in_msgs_hash` of processed messages: SHA-512/256 of their CBOR list (the empty hash for none). */
export function inMessagesHash(messages: readonly IncomingMessage[]): Uint8Array {
  return messagesHash(messages.map(incomingMessageWire));
}

/**
 * True when a round claiming to have processed `count` messages with `hash` processed exactly the
 * first `count` of `queued` (the queue's head, in sequence order).
 */
export function processedPrefixMatches(
  queued: readonly IncomingMessage[],
  count: number,
  hash: Uint8Array,
): boolean {
  if (count > queued.length) return false;
  return bytesEqual(inMessagesHash(queued.slice(0, count)), hash);
}
