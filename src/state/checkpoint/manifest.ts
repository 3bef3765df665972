/**
 * A checkpoint's manifest (oasis-core's checkpoint `Metadata`) of the consensus state or of a runtime's
 * state (namespace = runtime ID, version = round): the state root it restores to and the digest of each chunk, CBOR `{version: 1, root: {ns, version, root_type, hash}, chunks: [hash…]}`. It is
 * untrusted as received: a restorer believes it only after its root equals an app hash the light client
 * verified, and each chunk only after its digest matches and its proof hashes to that root.
 */
import { bytesEqual } from '../../codec/bytes.ts';
import { decodeCanonical, encodeCanonical } from '../../codec/cbor.ts';
import { arrayOf, bytes, struct, uint } from '../../codec/schema.ts';
import { HASH_SIZE, sha512_256 } from '../../crypto/hash.ts';
import { CheckpointErrorCode, checkpointError } from './errors.ts';

/** Manifest format version. */
export const MANIFEST_VERSION = 1;
/** `root_type` of a state root (oasis-core `RootTypeState`). */
export const ROOT_TYPE_STATE = 1;
/** Namespace of the consensus state (32 zero bytes). */
export const CONSENSUS_NAMESPACE = new Uint8Array(32);
/** Most chunks a manifest may list (bounds what a peer can make us allocate). */
export const MAX_MANIFEST_CHUNKS = 100_000;

/** A checkpoint manifest. */
export interface Manifest {
  /** The state version (block height) the checkpoint is of. */
  version: number;
  /** The state root at that version. */
  root: Uint8Array;
  /** SHA-512/256 of each chunk's bytes, in key order. */
  chunks: Uint8Array[];
}

const manifestDecoder = struct({
  version: uint,
  root: struct({ ns: bytes(32), version: uint, root_type: uint, hash: bytes(HASH_SIZE) }),
  chunks: arrayOf(bytes(HASH_SIZE), MAX_MANIFEST_CHUNKS),
});

/**
 * Canonical CBOR of a manifest of the state of `namespace`: the consensus state (default), or a runtime's
 * (its ID; the version is then a round).
 */
export function encodeManifest(m: Manifest, namespace: Uint8Array = CONSENSUS_NAMESPACE): Uint8Array {
  return encodeCanonical({
    version: MANIFEST_VERSION,
    root: { ns: namespace, version: m.version, root_type: ROOT_TYPE_STATE, hash: m.root },
    chunks: m.chunks,
  });
}

/** Decodes and checks a manifest (format, a state root of `namespace`, at least one chunk). */
export function decodeManifest(data: Uint8Array, namespace: Uint8Array = CONSENSUS_NAMESPACE): Manifest {
  const raw = manifestDecoder(decodeCanonical(data), 'manifest');
  if (raw.version !== MANIFEST_VERSION)
    throw checkpointError(CheckpointErrorCode.checkpointNotFound, `manifest version ${raw.version}`);
  if (raw.root.root_type !== ROOT_TYPE_STATE || !bytesEqual(raw.root.ns, namespace))
    throw checkpointError(CheckpointErrorCode.checkpointNotFound, 'manifest is not of the expected state');
  if (raw.chunks.length === 0)
    throw checkpointError(CheckpointErrorCode.checkpointNotFound, 'manifest lists no chunks');
  return { version: raw.root.version, root: raw.root.hash, chunks: raw.chunks };
}

/** The manifest's identity (oasis-core `EncodedHash`): SHA-512/256 of its canonical CBOR. */
export function manifestHash(m: Manifest, namespace: Uint8Array = CONSENSUS_NAMESPACE): Uint8Array {
  return sha512_256(encodeManifest(m, namespace));
}
