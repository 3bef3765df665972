/**
 * Checkpoint chunks: each is one range proof (CBOR, `state/mkvs/proof.ts` format v1) of consecutive keys at
 * the checkpoint's version, about `chunkSize` bytes of keys and values. Unlike oasis-core the bytes are not
 * snappy-compressed (our chunks travel only between our nodes); the digest is SHA-512/256 of the bytes.
 */
import { bytesEqual, toHex } from '../../codec/bytes.ts';
import { sha512_256 } from '../../crypto/hash.ts';
import { decodeProof, encodeProof } from '../mkvs/proof.ts';
import { type RangeProof, verifyRangeProof } from '../mkvs/range_proof.ts';
import { CheckpointErrorCode, checkpointError } from './errors.ts';
import type { Manifest } from './manifest.ts';

/** What chunking reads: range proofs of a kept version (the MKVS). */
export interface RangeProver {
  rootHash(version: number): Uint8Array;
  proveRange(version: number, start: Uint8Array | undefined, targetBytes: number): RangeProof;
}

/** The chunks of the state at `version`, in key order; a caller may pause between them. */
export function* checkpointChunks(
  state: RangeProver,
  version: number,
  chunkSize: number,
): Generator<Uint8Array> {
  let start: Uint8Array | undefined;
  do {
    const range = state.proveRange(version, start, chunkSize);
    yield encodeProof(range.proof);
    start = range.next;
  } while (start !== undefined);
}

/** Digest of a chunk as the manifest lists it. */
export function chunkDigest(chunk: Uint8Array): Uint8Array {
  return sha512_256(chunk);
}

/**
 * Checks chunk `index` of `manifest` and returns the entries it proves: its digest must be the listed one
 * (else ChunkCorrupted, 7) and its proof must hash to the manifest's root (else
 * ChunkProofVerificationFailed, 6).
 */
export function verifyChunk(
  manifest: Manifest,
  index: number,
  chunk: Uint8Array,
): Array<[Uint8Array, Uint8Array]> {
  const expected = manifest.chunks[index];
  if (expected === undefined) throw checkpointError(CheckpointErrorCode.chunkNotFound, `no chunk ${index}`);
  if (!bytesEqual(chunkDigest(chunk), expected))
    throw checkpointError(
      CheckpointErrorCode.chunkCorrupted,
      `chunk ${index} does not match its digest ${toHex(expected)}`,
    );
  try {
    return verifyRangeProof(manifest.root, decodeProof(chunk));
  } catch (err) {
    throw checkpointError(
      CheckpointErrorCode.chunkProofVerificationFailed,
      `chunk ${index} does not prove entries of root ${toHex(manifest.root)}: ${(err as Error).message}`,
    );
  }
}
