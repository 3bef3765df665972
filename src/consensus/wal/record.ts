/**
 * The WAL's on-disk record framing: `[crc32:4][len:4][payload:len]`, big-endian, where the payload is one
 * kind byte followed by the body and the CRC-32 (IEEE, as zlib computes it) covers the payload. A kind byte
 * keeps every valid payload non-empty, so a run of zero bytes (what a crash can leave after a file was
 * extended) never parses as a record.
 */
import { crc32 } from 'node:zlib';
import { u64be } from '../../codec/bytes.ts';
import { WalErrors } from './errors.ts';

/** Largest record a caller may write (the engine's largest input, a block part or proposal, is far below). */
export const MAX_WAL_RECORD_SIZE = 1024 * 1024;
/** Bytes of the `[crc][len]` header. */
export const FRAME_HEADER_SIZE = 8;
/** Largest payload a frame may declare: the kind byte plus the largest record. */
export const MAX_FRAME_PAYLOAD = 1 + MAX_WAL_RECORD_SIZE;

/** What a WAL entry is: an opaque caller record, or the marker that a height is finished. */
export const EntryKind = Object.freeze({ record: 0, endHeight: 1 } as const);

/** One logical WAL entry, as both the file and the in-memory log hold them. */
export type WalEntry = { kind: 'record'; data: Uint8Array } | { kind: 'endHeight'; height: number };

/** Throws `WalErrors.recordTooLarge` for a record above the limit. */
export function checkRecordSize(record: Uint8Array): void {
  if (record.length > MAX_WAL_RECORD_SIZE) throw WalErrors.recordTooLarge(record.length, MAX_WAL_RECORD_SIZE);
}

/** Throws a RangeError unless `height` is a valid block height to mark. */
export function checkMarkerHeight(height: number): void {
  if (!Number.isSafeInteger(height) || height < 0) throw new RangeError(`invalid end height ${height}`);
}

/** The framed bytes of an entry. */
export function encodeFrame(entry: WalEntry): Uint8Array {
  const body = entry.kind === 'record' ? entry.data : u64be(entry.height);
  const frame = new Uint8Array(FRAME_HEADER_SIZE + 1 + body.length);
  frame[FRAME_HEADER_SIZE] = entry.kind === 'record' ? EntryKind.record : EntryKind.endHeight;
  frame.set(body, FRAME_HEADER_SIZE + 1);
  const view = new DataView(frame.buffer);
  view.setUint32(0, crc32(frame.subarray(FRAME_HEADER_SIZE)) >>> 0);
  view.setUint32(4, 1 + body.length);
  return frame;
}

/** Outcome of parsing the frame header at some position. */
export type HeaderCheck = { ok: true; payloadLength: number; crc: number } | { ok: false; reason: string };

/** Reads and sanity-checks a frame header (8 bytes). */
export function parseHeader(header: Uint8Array): HeaderCheck {
  const view = new DataView(header.buffer, header.byteOffset, FRAME_HEADER_SIZE);
  const crc = view.getUint32(0);
  const payloadLength = view.getUint32(4);
  if (payloadLength === 0 || payloadLength > MAX_FRAME_PAYLOAD) {
    return { ok: false, reason: `invalid record length ${payloadLength}` };
  }
  return { ok: true, payloadLength, crc };
}

/**
 * Decodes a payload whose header was valid: checks the CRC, then the kind and body. Returns a reason string
 * instead of throwing, so the reader can decide whether the failure is a torn tail or corruption.
 */
export function decodePayload(payload: Uint8Array, crc: number): WalEntry | string {
  if (crc32(payload) >>> 0 !== crc) return 'CRC mismatch';
  const kind = payload[0];
  const body = payload.subarray(1);
  if (kind === EntryKind.record) return { kind: 'record', data: new Uint8Array(body) };
  if (kind === EntryKind.endHeight) {
    if (body.length !== 8) return `end-height marker of ${body.length} bytes`;
    const height = new DataView(body.buffer, body.byteOffset, 8).getBigUint64(0);
    if (height > BigInt(Number.MAX_SAFE_INTEGER)) return 'end height out of range';
    return { kind: 'endHeight', height: Number(height) };
  }
  return `unknown record kind ${kind}`;
}
