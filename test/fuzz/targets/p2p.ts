/**
 * What peers send: length-prefixed request/response frames, consensus gossip messages (proposals, votes,
 * commits, status) and gossiped transaction batches.
 */

import { MessageType, signVote } from '../../../src/consensus/api/vote.ts';
import {
  decodeMessage as decodeConsensusMessage,
  encodeMessage,
} from '../../../src/consensus/bft/messages.ts';
import { Ed25519KeyPair } from '../../../src/crypto/ed25519.ts';
import { encodeFrame, FrameError, readFrame } from '../../../src/p2p/frames.ts';
import { decodeTxBatch, encodeTxBatch } from '../../../src/p2p/tx_batch.ts';
import { type FuzzTarget, sameAfterRoundTrip, sameBytes, valueOrOurs, valueOrOursAsync } from '../harness.ts';
import { FUZZ_CHAIN } from './transactions.ts';

const validator = Ed25519KeyPair.fromSeed(new Uint8Array(32).fill(3));

/** Frame size limit the fuzzer runs the reader with (small, so oversize declarations are easy to reach). */
const FRAME_LIMIT = 1024;

/**
 * `[split][stream bytes]`: the stream is delivered in chunks of `split % 7 + 1` bytes. A frame is read whole
 * or refused with a FrameError; a declared length over the limit is refused before its body is buffered.
 */
export const p2pFrame: FuzzTarget = {
  name: 'p2p-frame',
  async: true,
  seeds: () => [
    Uint8Array.of(0, ...encodeFrame(Uint8Array.of(1, 2, 3))),
    Uint8Array.of(3, ...encodeFrame(new Uint8Array(0))),
    Uint8Array.of(1, 0, 0, 4, 1),
  ],
  async check(data) {
    if (data.length === 0) return;
    const step = (data[0]! % 7) + 1;
    const stream = data.subarray(1);
    let delivered = 0;
    async function* chunks() {
      for (let at = 0; at < stream.length; at += step) {
        delivered = Math.min(stream.length, at + step);
        yield stream.subarray(at, at + step);
      }
    }
    const frame = await valueOrOursAsync(() => readFrame(chunks(), FRAME_LIMIT), FrameError);
    if (stream.length < 4) return;
    const declared = Buffer.from(stream).readUInt32BE(0);
    if (frame === undefined) {
      if (declared > FRAME_LIMIT && delivered > Math.ceil(4 / step) * step)
        throw new Error(`read ${delivered} bytes of a frame declared oversize (${declared})`);
      return;
    }
    if (declared > FRAME_LIMIT) throw new Error(`accepted a frame declared ${declared} bytes`);
    sameBytes(frame, stream.subarray(4, 4 + declared), 'p2p frame');
  },
};

/** A consensus gossip message; what decodes re-encodes to a message that decodes the same. */
export const consensusMessage: FuzzTarget = {
  name: 'consensus-message',
  seeds: () => {
    const vote = signVote(
      validator,
      {
        type: MessageType.prevote,
        height: 5,
        round: 1,
        blockHash: new Uint8Array(32).fill(9),
        timestamp: 1_700_000_000_000,
      },
      FUZZ_CHAIN,
    );
    return [
      encodeMessage({ kind: 'status', height: 7 }),
      encodeMessage({ kind: 'vote', vote }),
      encodeMessage({ kind: 'vote', vote: { ...vote, type: MessageType.precommit, blockHash: null } }),
    ];
  },
  check(data) {
    const m = valueOrOurs(() => decodeConsensusMessage(data));
    if (m !== undefined) sameAfterRoundTrip(m, decodeConsensusMessage(encodeMessage(m)), m.kind);
  },
};

/** A gossiped batch of signed transactions: a canonical batch re-encodes to the same bytes. */
export const txBatch: FuzzTarget = {
  name: 'tx-batch',
  seeds: () => [encodeTxBatch([Uint8Array.of(1, 2), new Uint8Array(40)]), encodeTxBatch([])],
  check(data) {
    const txs = valueOrOurs(() => decodeTxBatch(data));
    if (txs !== undefined) sameBytes(encodeTxBatch(txs), data, 'tx batch');
  },
};
