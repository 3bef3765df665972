import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { encodeCanonical } from '../../../src/codec/cbor.ts';
import { CodedError } from '../../../src/errors.ts';
import { RHP_MODULE, RhpErrorCode } from '../../../src/runtime/protocol/errors.ts';
import { encodeFrame, FrameDecoder } from '../../../src/runtime/protocol/frame.ts';
import { decodeMessage, encodeMessage, MessageType } from '../../../src/runtime/protocol/message.ts';

const isViolation = (err: unknown): boolean =>
  err instanceof CodedError && err.module === RHP_MODULE && err.code === RhpErrorCode.protocolViolation;

/** Deterministic PRNG so a failing fuzz case can be replayed. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('RHP framing', () => {
  it('reassembles frames from arbitrary chunk boundaries', () => {
    const bodies = [1, 3, 100, 70_000].map((n) => randomBytes(n));
    const stream = Buffer.concat(bodies.map((b) => encodeFrame(b)));
    const rand = prng(7);
    for (let trial = 0; trial < 50; trial++) {
      const decoder = new FrameDecoder();
      const out: Buffer[] = [];
      for (let i = 0; i < stream.length; ) {
        const n = 1 + Math.floor(rand() * 9000);
        out.push(...decoder.push(stream.subarray(i, i + n)));
        i += n;
      }
      assert.deepEqual(out, bodies);
      assert.equal(decoder.buffered, 0);
    }
  });

  it('refuses an oversize length before buffering the body', () => {
    const decoder = new FrameDecoder(1024);
    const header = Buffer.alloc(4);
    header.writeUInt32BE(1025);
    assert.throws(() => decoder.push(header), isViolation);
    assert.throws(() => encodeFrame(new Uint8Array(1025), 1024), isViolation);
    header.writeUInt32BE(0);
    assert.throws(() => new FrameDecoder().push(header), isViolation);
  });

  it('round-trips a message and rejects every malformed envelope as a protocol violation', () => {
    const ok = encodeMessage(7n, MessageType.request, 'RuntimePingRequest', {});
    assert.deepEqual(decodeMessage(ok), { id: 7n, type: 1, kind: 'RuntimePingRequest', body: {} });
    const envelope = (fields: Record<string, unknown>) =>
      encodeCanonical({ id: 1, message_type: 1, body: { Empty: {} }, ...fields });
    const bad: Uint8Array[] = [
      Uint8Array.of(0xff),
      Uint8Array.of(0xa0),
      envelope({ message_type: 3 }),
      envelope({ id: -1 }),
      envelope({ body: {} }),
      envelope({ body: { Empty: {}, Error: {} } }),
      envelope({ body: { NoSuchKind: {} } }),
      envelope({ body: { RuntimeQueryRequest: { method: 'x' } } }),
      envelope({ extra: true }),
    ];
    for (const frame of bad) assert.throws(() => decodeMessage(frame), isViolation);
  });

  it('never throws anything but a protocol violation on random garbage (fuzz)', () => {
    const rand = prng(42);
    const valid = encodeMessage(1n, MessageType.response, 'Error', { module: 'm', code: 1, message: 'x' });
    let decoded = 0;
    for (let i = 0; i < 3000; i++) {
      const frame = new Uint8Array(valid);
      // Flip a few bytes, truncate or extend: most inputs must fail, all must fail cleanly.
      const flips = 1 + Math.floor(rand() * 3);
      for (let f = 0; f < flips; f++) frame[Math.floor(rand() * frame.length)] = Math.floor(rand() * 256);
      const cut = rand() < 0.3 ? frame.subarray(0, Math.floor(rand() * frame.length)) : frame;
      try {
        decodeMessage(cut);
        decoded++;
      } catch (err) {
        assert.ok(isViolation(err), `unexpected error ${String(err)}`);
      }
      try {
        new FrameDecoder(64).push(randomBytes(1 + Math.floor(rand() * 200)));
      } catch (err) {
        assert.ok(isViolation(err));
      }
    }
    assert.ok(decoded < 3000, 'mutations must be detected');
  });
});
