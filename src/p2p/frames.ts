/**
 * Length-prefixed frames for request/response streams: `[len u32 BE][payload]`. Reading stops at the first
 * complete frame and refuses a declared length above the limit before buffering it.
 */

import { namedError } from '../errors.ts';

/** Raised for a frame that is oversize, truncated or otherwise malformed. */
export class FrameError extends namedError('FrameError') {
  readonly oversize: boolean;

  constructor(message: string, oversize = false) {
    super(message);
    this.oversize = oversize;
  }
}

/** Prefixes `payload` with its length. */
export function encodeFrame(payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + payload.length);
  new DataView(out.buffer).setUint32(0, payload.length);
  out.set(payload, 4);
  return out;
}

type Chunk = Uint8Array | { subarray(): Uint8Array };

/** Reads one frame from a stream of chunks; throws `FrameError` if it is oversize or the stream ends early. */
export async function readFrame(source: AsyncIterable<Chunk>, maxBytes: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let have = 0;
  let need = -1;
  for await (const raw of source) {
    const chunk = raw instanceof Uint8Array ? raw : raw.subarray();
    chunks.push(chunk);
    have += chunk.length;
    if (need < 0 && have >= 4) {
      const head = concat(chunks, have);
      need = new DataView(head.buffer, head.byteOffset, 4).getUint32(0);
      if (need > maxBytes)
        throw new FrameError(`frame of ${need} bytes exceeds the limit of ${maxBytes}`, true);
      chunks.length = 0;
      chunks.push(head);
    }
    if (need >= 0 && have >= 4 + need) {
      return concat(chunks, have).slice(4, 4 + need);
    }
  }
  throw new FrameError('stream ended before a complete frame');
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
}
