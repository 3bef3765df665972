/**
 * Records the driver writes to the consensus WAL: every input before it is processed (peer messages,
 * fired timeouts) and every message it signed itself (synced before it is sent). Replaying them through the
 * deterministic engine after a restart rebuilds the exact pre-crash state; logged own messages are reused
 * rather than signed again, so a restarted node repeats its votes byte for byte.
 */
import { decodeCanonical, encodeCanonical } from '../../codec/cbor.ts';
import { arrayOf, type Decoder, enumOf, struct, text, uint } from '../../codec/schema.ts';
import { CodecError } from '../../errors.ts';
import type { Step } from './engine/types.ts';
import { type ConsensusMessage, messageDecoder, messageToCbor } from './messages.ts';

/** One WAL record. */
export type WalRecord =
  | { kind: 'peer'; from: string; message: ConsensusMessage }
  | { kind: 'own'; message: ConsensusMessage }
  | { kind: 'timeout'; height: number; round: number; step: Step };

const STEPS: Step[] = ['propose', 'prevote', 'precommit'];

/** Canonical bytes of a record. */
export function encodeWalRecord(r: WalRecord): Uint8Array {
  switch (r.kind) {
    case 'peer':
      return encodeCanonical({ peer: r.from, msg: messageToCbor(r.message) });
    case 'own':
      return encodeCanonical({ own: messageToCbor(r.message) });
    case 'timeout':
      return encodeCanonical({ timeout: [r.height, r.round, STEPS.indexOf(r.step)] });
  }
}

const peerRecord = struct({ peer: text, msg: messageDecoder });
const ownRecord = struct({ own: messageDecoder });
const stepIndex = enumOf([0, 1, 2] as const);
const timeoutStruct = struct({ timeout: arrayOf(uint, 3) });
const timeoutRecord: Decoder<{ height: number; round: number; step: Step }> = (value, path) => {
  const t = timeoutStruct(value, path).timeout;
  if (t.length !== 3) throw new CodecError(`${path}.timeout`, 'expected [height, round, step]');
  return { height: t[0]!, round: t[1]!, step: STEPS[stepIndex(t[2]!, path)]! };
};

/** Decodes a record written by `encodeWalRecord`. */
export function decodeWalRecord(data: Uint8Array): WalRecord {
  const value = decodeCanonical(data);
  const keys = value !== null && typeof value === 'object' ? Object.keys(value) : [];
  if (keys.includes('peer')) {
    const d = peerRecord(value, 'wal');
    return { kind: 'peer', from: d.peer, message: d.msg };
  }
  if (keys.includes('own')) return { kind: 'own', message: ownRecord(value, 'wal').own };
  return { kind: 'timeout', ...timeoutRecord(value, 'wal') };
}
