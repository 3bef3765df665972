/**
 * `Consensus.StateSyncGet`, `StateSyncGetPrefixes` and `StateSyncIterate`: reads of the consensus state at
 * a height, each answered with one MKVS proof (oasis-core's `ProofResponse`) that a client checks against
 * a state root it trusts — the app hash of a header its light client verified — instead of trusting the
 * node. Requests name the tree as oasis-core's `TreeID {root: {ns, version, root_type, hash}, position}`;
 * the root must be the node's consensus state root at that version.
 */
import { bytesEqual, toHex } from '../../codec/bytes.ts';
import { arrayOf, bool, bytes, optional, struct, uint } from '../../codec/schema.ts';
import { ConsensusErrors } from '../../consensus/api/transaction.ts';
import { hasPrefix } from '../../state/mkvs/bits.ts';
import type { Proof } from '../../state/mkvs/proof.ts';
import { type ApiMethod, unaryMethod } from '../method.ts';
import { decodeRequestWith } from '../queries.ts';

/** Most entries one request may cover (larger `limit`/`prefetch` values are clipped; the client asks again). */
export const MAX_SYNC_ENTRIES = 4096;

/** What the node provides: proofs over its consensus state by version. */
export interface StateSyncBackend {
  /** Root hash of the consensus state at `version`; throws consensus/3 when that version is not kept. */
  stateRoot(version: number): Uint8Array;
  /** One proof covering the lookup paths of `keys` at `version`. */
  proveKeys(version: number, keys: readonly Uint8Array[], proofVersion: number): Proof;
  /** Up to `limit` entries with keys >= `start` at `version`, ascending. */
  entriesFrom(version: number, start: Uint8Array, limit: number): Array<[Uint8Array, Uint8Array]>;
}

const SERVICE = 'oasis-core.Consensus';
const CONSENSUS_NAMESPACE = new Uint8Array(32);
const STATE_ROOT_TYPE = 1;

const treeId = struct({
  root: struct({ ns: bytes(32), version: uint, root_type: uint, hash: bytes(32) }),
  position: bytes(32),
});
const proofVersion = optional(uint);
const getRequest = struct({
  tree: treeId,
  key: bytes(),
  include_siblings: optional(bool),
  proof_version: proofVersion,
});
const prefixesRequest = struct({
  tree: treeId,
  prefixes: arrayOf(bytes(), MAX_SYNC_ENTRIES),
  limit: uint,
  proof_version: proofVersion,
});
const iterateRequest = struct({ tree: treeId, key: bytes(), prefetch: uint, proof_version: proofVersion });

type TreeId = ReturnType<typeof treeId>;

/** The consensus tree's version, after checking the request names the node's root at that version. */
function versionOf(backend: StateSyncBackend, tree: TreeId): number {
  const { ns, version, root_type, hash } = tree.root;
  if (!bytesEqual(ns, CONSENSUS_NAMESPACE) || root_type !== STATE_ROOT_TYPE) {
    throw ConsensusErrors.versionNotFound('not the consensus state tree');
  }
  const root = backend.stateRoot(version);
  if (!bytesEqual(root, hash)) {
    throw ConsensusErrors.versionNotFound(`root ${toHex(hash)} is not the state root at ${version}`);
  }
  return version;
}

function proofResponse(proof: Proof): Record<string, unknown> {
  const body: Record<string, unknown> = { entries: proof.entries, untrusted_root: proof.untrustedRoot };
  if (proof.v !== 0) body.v = proof.v;
  return { proof: body };
}

/** Keys a prefix read must cover: the prefix's seek path, its entries, and the first key past them. */
function prefixKeys(
  backend: StateSyncBackend,
  version: number,
  prefixes: Uint8Array[],
  limit: number,
): Uint8Array[] {
  const keys: Uint8Array[] = [];
  let left = Math.min(limit, MAX_SYNC_ENTRIES);
  for (const prefix of prefixes) {
    keys.push(prefix);
    if (left === 0) break;
    for (const [key] of backend.entriesFrom(version, prefix, left + 1)) {
      keys.push(key);
      if (!hasPrefix(key, prefix)) break;
      if (--left === 0) break;
    }
  }
  return keys;
}

/** The state-sync read methods of the Consensus service. */
export function consensusStateSyncMethods(backend: StateSyncBackend): ApiMethod[] {
  return [
    unaryMethod(SERVICE, 'StateSyncGet', async (r) => {
      const q = decodeRequestWith(getRequest, r);
      const version = versionOf(backend, q.tree);
      return proofResponse(backend.proveKeys(version, [q.key], q.proof_version ?? 0));
    }),
    unaryMethod(SERVICE, 'StateSyncGetPrefixes', async (r) => {
      const q = decodeRequestWith(prefixesRequest, r);
      const version = versionOf(backend, q.tree);
      const keys = prefixKeys(backend, version, q.prefixes, q.limit);
      return proofResponse(backend.proveKeys(version, keys, q.proof_version ?? 0));
    }),
    unaryMethod(SERVICE, 'StateSyncIterate', async (r) => {
      const q = decodeRequestWith(iterateRequest, r);
      const version = versionOf(backend, q.tree);
      const count = Math.min(q.prefetch, MAX_SYNC_ENTRIES) + 1;
      const keys = [q.key, ...backend.entriesFrom(version, q.key, count).map(([k]) => k)];
      return proofResponse(backend.proveKeys(version, keys, q.proof_version ?? 0));
    }),
  ];
}
