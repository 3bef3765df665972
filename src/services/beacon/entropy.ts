/**
 * Block entropy and the beacon value. Entropy from a block (height, time, proposer) is what the
 * insecure backend uses, and what the VRF backend falls back to for a low-quality alpha; a proposer can
 * bias it by choosing the block time. The beacon value hashes an epoch's entropy with the epoch number:
 * SHA3-256("EkB-tmnt" || entropy || LE64(epoch)).
 */
import { createHash } from 'node:crypto';
import { utf8 } from '../../codec/bytes.ts';

const BEACON_CONTEXT = utf8('EkB-tmnt');

/** Little-endian u64. */
export function le64(n: bigint | number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(n), true);
  return out;
}

function sha3(...parts: Uint8Array[]): Uint8Array {
  const h = createHash('sha3-256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

/** Entropy of a block: SHA3-256(LE64(height) || LE64(time) || proposer). */
export function blockEntropy(height: number, time: number, proposer: Uint8Array): Uint8Array {
  return sha3(le64(height), le64(time), proposer);
}

/** The beacon value of `epoch` from that epoch's entropy. */
export function beaconFromEntropy(epoch: bigint, entropy: Uint8Array): Uint8Array {
  return sha3(BEACON_CONTEXT, entropy, le64(epoch));
}

/** The insecure backend's beacon value of `epoch` from the transition block's height, time and proposer. */
export function insecureBeacon(
  epoch: bigint,
  height: number,
  time: number,
  proposer: Uint8Array,
): Uint8Array {
  return beaconFromEntropy(epoch, blockEntropy(height, time, proposer));
}
