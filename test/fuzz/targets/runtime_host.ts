/**
 * The runtime host protocol as the node reads it from a ParaTime child process: an incremental frame
 * decoder over arbitrarily split socket chunks, and the CBOR message inside each frame.
 */
import { CodedError } from '../../../src/errors.ts';
import { encodeFrame, FrameDecoder } from '../../../src/runtime/protocol/frame.ts';
import { decodeMessage, encodeMessage, MessageType } from '../../../src/runtime/protocol/message.ts';
import type { BodyOf } from '../../../src/runtime/protocol/types.ts';
import { type FuzzTarget, sameAfterRoundTrip, valueOrOurs } from '../harness.ts';

/** Frame limit the fuzzer runs the decoder with (small, so oversize declarations are easy to reach). */
const FRAME_LIMIT = 4096;

const sampleMessages = (): Uint8Array[] => [
  encodeMessage(1n, MessageType.request, 'RuntimePingRequest', {}),
  encodeMessage(2n, MessageType.response, 'Empty', {}),
  encodeMessage(3n, MessageType.request, 'RuntimeQueryRequest', {
    method: 'core.CallDataPublicKey',
    args: null,
  } as unknown as BodyOf<'RuntimeQueryRequest'>),
];

/** One message body: what decodes re-encodes to a message that decodes the same. */
export const rhpMessage: FuzzTarget = {
  name: 'rhp-message',
  seeds: sampleMessages,
  check(data) {
    const m = valueOrOurs(() => decodeMessage(data, FRAME_LIMIT));
    if (m === undefined) return;
    const again = decodeMessage(encodeMessage(m.id, m.type, m.kind, m.body as never), FRAME_LIMIT);
    sameAfterRoundTrip(m, again, `rhp ${m.kind}`);
  },
};

/**
 * `[split][stream]`: the stream reaches the decoder in chunks of `split % 13 + 1` bytes. Every byte is either
 * in a returned frame (with its header) or still buffered, the buffer never holds more than one frame, and
 * every frame holds a message or is refused with a coded protocol error.
 */
export const rhpStream: FuzzTarget = {
  name: 'rhp-stream',
  seeds: () => sampleMessages().map((m, i) => Uint8Array.of(i * 5, ...encodeFrame(m), ...encodeFrame(m))),
  check(data) {
    if (data.length === 0) return;
    const step = (data[0]! % 13) + 1;
    const stream = data.subarray(1);
    const decoder = new FrameDecoder(FRAME_LIMIT);
    let framed = 0;
    for (let at = 0; at < stream.length; at += step) {
      let frames: Buffer[];
      try {
        frames = decoder.push(stream.subarray(at, at + step));
      } catch (err) {
        if (err instanceof CodedError) return;
        throw err;
      }
      for (const f of frames) {
        if (f.length === 0 || f.length > FRAME_LIMIT)
          throw new Error(`frame of ${f.length} bytes let through`);
        framed += 4 + f.length;
        valueOrOurs(() => decodeMessage(f, FRAME_LIMIT));
      }
      const seen = Math.min(stream.length, at + step);
      if (framed + decoder.buffered !== seen)
        throw new Error(`${seen} bytes in, ${framed} framed + ${decoder.buffered} buffered`);
      if (decoder.buffered >= 4 + FRAME_LIMIT) throw new Error(`buffered ${decoder.buffered} bytes`);
    }
  },
};
