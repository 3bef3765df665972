/**
 * RHP framing: every message is a 4-byte big-endian length followed by that many bytes of CBOR. The
 * decoder is incremental (socket chunks arrive split or merged arbitrarily) and refuses a frame longer
 * than the limit before buffering it, so a hostile peer cannot make us allocate more than the limit.
 */
import { RhpErrorCode, rhpError } from './errors.ts';

/** Largest frame body accepted (oasis-core documents 16 MiB). */
export const MAX_FRAME_SIZE = 16 * 1024 * 1024;

const HEADER_SIZE = 4;

/** One frame: header + body, ready to write. */
export function encodeFrame(body: Uint8Array, maxSize = MAX_FRAME_SIZE): Buffer {
  if (body.length === 0 || body.length > maxSize) {
    throw rhpError(RhpErrorCode.protocolViolation, `frame of ${body.length} bytes outside 1..${maxSize}`);
  }
  const out = Buffer.allocUnsafe(HEADER_SIZE + body.length);
  out.writeUInt32BE(body.length, 0);
  out.set(body, HEADER_SIZE);
  return out;
}

/** Splits a byte stream into frame bodies. Throws a protocol-violation error on an empty or oversize frame. */
export class FrameDecoder {
  readonly #maxSize: number;
  #chunks: Buffer[] = [];
  #buffered = 0;

  constructor(maxSize = MAX_FRAME_SIZE) {
    this.#maxSize = maxSize;
  }

  /** Bytes held waiting for the rest of a frame. */
  get buffered(): number {
    return this.#buffered;
  }

  /** Adds a chunk and returns every frame body it completes, in order. */
  push(chunk: Uint8Array): Buffer[] {
    this.#chunks.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    this.#buffered += chunk.byteLength;
    const frames: Buffer[] = [];
    for (;;) {
      if (this.#buffered < HEADER_SIZE) break;
      const head = this.#peek(HEADER_SIZE);
      const length = head.readUInt32BE(0);
      if (length === 0 || length > this.#maxSize) {
        throw rhpError(RhpErrorCode.protocolViolation, `frame length ${length} outside 1..${this.#maxSize}`);
      }
      if (this.#buffered < HEADER_SIZE + length) break;
      const all = this.#take(HEADER_SIZE + length);
      frames.push(all.subarray(HEADER_SIZE));
    }
    return frames;
  }

  #peek(n: number): Buffer {
    if (this.#chunks[0]!.length >= n) return this.#chunks[0]!;
    this.#chunks = [Buffer.concat(this.#chunks)];
    return this.#chunks[0]!;
  }

  #take(n: number): Buffer {
    const joined = this.#chunks.length === 1 ? this.#chunks[0]! : Buffer.concat(this.#chunks);
    const out = Buffer.from(joined.subarray(0, n));
    const rest = joined.subarray(n);
    this.#chunks = rest.length > 0 ? [rest] : [];
    this.#buffered = rest.length;
    return out;
  }
}
