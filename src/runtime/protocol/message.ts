/**
 * The RHP envelope: `Message {id, message_type, body}` where the body is a map with exactly one key naming
 * its kind (`RuntimeInfoRequest`, `Error`, `Empty`, …). Decoding is strict at every level, so a frame
 * either yields a well-typed message or a protocol-violation error: nothing half-parsed reaches a handler.
 */
import { decodeCanonical, encodeCanonical } from '../../codec/cbor.ts';
import { enumOf, mapEntries, u64 } from '../../codec/schema.ts';
import { CodecError } from '../../errors.ts';
import { RhpErrorCode, rhpError } from './errors.ts';
import { BodyDecoders, type BodyKind, type BodyOf } from './types.ts';

/** `message_type` values. */
export const MessageType = Object.freeze({ request: 1, response: 2 });

/** A decoded envelope whose body is one known kind. */
export interface Message<K extends BodyKind = BodyKind> {
  id: bigint;
  type: 1 | 2;
  kind: K;
  body: BodyOf<K>;
}

/** Drops `undefined` fields (optional fields are omitted on the wire), recursing into plain objects/arrays. */
function stripUndefined(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || value instanceof Uint8Array || value instanceof Map) {
    return value;
  }
  if (Array.isArray(value)) return value.map(stripUndefined);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = stripUndefined(v);
  return out;
}

/** Canonical CBOR of one message. */
export function encodeMessage<K extends BodyKind>(
  id: bigint,
  type: 1 | 2,
  kind: K,
  body: BodyOf<K>,
): Uint8Array {
  return encodeCanonical({ id, message_type: type, body: { [kind]: stripUndefined(body) } });
}

const messageType = enumOf([MessageType.request, MessageType.response] as const);

/** Decodes one frame body; throws a protocol-violation `CodedError` naming what was wrong. */
export function decodeMessage(frame: Uint8Array, maxBytes?: number): Message {
  try {
    const value = decodeCanonical(frame, maxBytes);
    const fields = new Map(mapEntries(value, 'message'));
    for (const key of fields.keys()) {
      if (key !== 'id' && key !== 'message_type' && key !== 'body') {
        throw new CodecError(`message.${String(key)}`, 'unknown field');
      }
    }
    const id = u64(fields.get('id') ?? null, 'message.id');
    const type = messageType(fields.get('message_type') ?? null, 'message.message_type');
    const body = mapEntries(fields.get('body') ?? null, 'message.body');
    if (body.length !== 1)
      throw new CodecError('message.body', `expected exactly one key, got ${body.length}`);
    const [kind, payload] = body[0]!;
    if (typeof kind !== 'string' || !Object.hasOwn(BodyDecoders, kind)) {
      throw new CodecError('message.body', `unknown body kind ${JSON.stringify(String(kind))}`);
    }
    const decoder = BodyDecoders[kind as BodyKind] as (v: unknown, p: string) => unknown;
    return { id, type, kind: kind as BodyKind, body: decoder(payload, `message.body.${kind}`) as never };
  } catch (err) {
    throw rhpError(RhpErrorCode.protocolViolation, `bad message: ${(err as Error).message}`);
  }
}
