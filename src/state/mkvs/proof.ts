/**
 * Merkle proofs in oasis-core's format (`go/storage/mkvs/syncer/proof.go`): CBOR
 * `{v?, entries, untrusted_root}` where entries list the proven subtree in pre-order: `0x01 || compact
 * node` for an included node (followed by its children's entries), `0x02 || hash` for a subtree given by
 * hash only, and null for nil. In v1 an internal node's children are [leaf, left, right]; in v0 the leaf
 * is inside the internal node and the children are [left, right].
 *
 * A proof for a key includes the nodes on the key's lookup path, so it proves presence (the leaf is
 * included) or absence (the path ends in nil, in another key's leaf, or in a label the key leaves).
 */
import { bytesEqual } from '../../codec/bytes.ts';
import type { CborValue } from '../../codec/cbor.ts';
import { decodeCanonical, encodeCanonical } from '../../codec/cbor.ts';
import { arrayOf, bytes, optional, struct, uint } from '../../codec/schema.ts';
import { EMPTY_HASH, HASH_SIZE } from '../../crypto/hash.ts';
import { getBit } from './bits.ts';
import { decodeNode, encodeInternal, encodeLeaf } from './codec.ts';
import { MkvsErrorCode, mkvsError } from './errors.ts';
import {
  type Child,
  childHash,
  deref,
  type LeafNode,
  type NodeLoader,
  NodeRef,
  type TreeNode,
} from './node.ts';
import { lookup } from './tree.ts';

/** A Merkle proof (oasis-core `syncer.Proof`). */
export interface Proof {
  /** Format version: 0 or 1 (latest). */
  v: number;
  /** The root the prover claims; verification always uses an independently trusted root. */
  untrustedRoot: Uint8Array;
  /** Pre-order entries; null for nil. */
  entries: Array<Uint8Array | null>;
}

/** Latest proof format version. */
export const PROOF_VERSION = 1;
const ENTRY_FULL = 0x01;
const ENTRY_HASH = 0x02;
/** Deepest proof accepted (as oasis-core). */
const MAX_PROOF_DEPTH = 128;

/** A proof entry giving `child` by hash only (null for nil). */
export function hashEntry(child: Child): Uint8Array | null {
  const hash = childHash(child);
  return bytesEqual(hash, EMPTY_HASH) ? null : Uint8Array.of(ENTRY_HASH, ...hash);
}

/** A proof entry including an encoded node. */
export function fullEntry(encoded: Uint8Array): Uint8Array {
  const out = new Uint8Array(encoded.length + 1);
  out[0] = ENTRY_FULL;
  out.set(encoded, 1);
  return out;
}

/**
 * A proof of `key`'s value or absence in the tree at `root`: the nodes on the key's lookup path, as
 * oasis-core's `SyncGet` builds it. Version 1 (default) gives an internal node's leaf as its own entry
 * (by hash unless it is the key's), version 0 inlines it in the internal node.
 */
export function buildProof(loader: NodeLoader, root: Child, key: Uint8Array, version = PROOF_VERSION): Proof {
  if (version !== 0 && version !== 1) throw mkvsError(MkvsErrorCode.badInput, `no proof version ${version}`);
  const entries: Array<Uint8Array | null> = [];
  // Right-sibling hashes of left turns, emitted (last first) once the path below is complete.
  const trailing: Array<Uint8Array | null> = [];
  const keyBits = key.length * 8;
  let ptr = root;
  let depth = 0;
  for (;;) {
    const node = deref(loader, ptr);
    if (node === null || node.kind === 'leaf') {
      entries.push(node === null ? null : fullEntry(encodeLeaf(node)));
      break;
    }
    entries.push(fullEntry(encodeInternal(node, false, version === 0)));
    const branch = depth + node.labelBits;
    if (version === 1) {
      const leafIncluded = keyBits === branch && node.leaf !== null;
      entries.push(leafIncluded ? fullEntry(encodeLeaf(node.leaf!)) : hashEntry(node.leaf));
    }
    if (keyBits <= branch) {
      entries.push(hashEntry(node.left), hashEntry(node.right));
      break;
    }
    if (getBit(key, branch)) {
      entries.push(hashEntry(node.left));
      ptr = node.right;
    } else {
      trailing.push(hashEntry(node.right));
      ptr = node.left;
    }
    depth = branch;
  }
  while (trailing.length > 0) entries.push(trailing.pop()!);
  return { v: version, untrustedRoot: childHash(root), entries };
}

/** Canonical CBOR of a proof, byte-identical to oasis-core's. */
export function encodeProof(proof: Proof): Uint8Array {
  const body: Record<string, unknown> = { entries: proof.entries, untrusted_root: proof.untrustedRoot };
  if (proof.v !== 0) body.v = proof.v;
  return encodeCanonical(body);
}

const entryDecoder = (value: CborValue, path: string): Uint8Array | null =>
  value === null ? null : bytes()(value, path);

const proofDecoder = struct({
  v: optional(uint),
  untrusted_root: bytes(HASH_SIZE),
  entries: arrayOf(entryDecoder, 100_000),
});

/** Decodes a CBOR proof (strict canonical CBOR, unknown fields rejected). */
export function decodeProof(data: Uint8Array): Proof {
  const raw = proofDecoder(decodeCanonical(data), 'proof');
  return { v: raw.v ?? 0, untrustedRoot: raw.untrusted_root, entries: raw.entries };
}

function badProof(message: string): never {
  throw mkvsError(MkvsErrorCode.badProof, `proof: ${message}`);
}

/** Partial tree rebuilt from a proof: unexpanded subtrees are refs the loader refuses to resolve. */
const NO_LOADER: NodeLoader = {
  load: () => badProof('does not cover the key'),
};

/**
 * The partial tree a proof describes (hash-only subtrees as refs), unverified: callers compare its hash
 * with a trusted root before believing anything in it.
 */
export function rebuildProofTree(proof: Proof): Child {
  let pos = 0;
  const next = (depth: number, leafSlot: boolean): Child => {
    if (depth > MAX_PROOF_DEPTH) badProof('too deep');
    if (pos >= proof.entries.length) badProof('missing entries');
    const entry = proof.entries[pos++]!;
    if (entry === null) return null;
    if (entry[0] === ENTRY_HASH) {
      if (entry.length !== 1 + HASH_SIZE) badProof('malformed hash entry');
      return new NodeRef(entry.slice(1));
    }
    if (entry[0] !== ENTRY_FULL) badProof('unknown entry type');
    let node: TreeNode;
    try {
      node = decodeNode(entry.subarray(1), proof.v === 0 ? 'compact-v0' : 'compact-v1');
    } catch (err) {
      badProof((err as Error).message);
    }
    if (leafSlot && node.kind !== 'leaf') badProof('internal node in a leaf slot');
    if (node.kind === 'internal') {
      if (proof.v !== 0) {
        const leaf = next(depth + 1, true);
        node.leaf = leaf === null ? null : leaf.kind === 'leaf' ? leaf : leafRefPlaceholder(leaf);
      }
      node.left = next(depth + 1, false);
      node.right = next(depth + 1, false);
    }
    return node;
  };
  const root = next(0, false);
  if (pos !== proof.entries.length) badProof('unused entries');
  return root;
}

/**
 * A leaf known only by hash (a v1 leaf slot given as `0x02 || hash`): it hashes right, and reading its
 * key or value fails because the proof does not reveal them.
 */
function leafRefPlaceholder(ref: Child): LeafNode {
  const leaf: LeafNode = {
    kind: 'leaf',
    hash: childHash(ref),
    get key(): Uint8Array {
      return badProof('does not cover the key');
    },
    get value(): Uint8Array {
      return badProof('does not cover the key');
    },
  };
  hashOnlyLeaves.add(leaf);
  return leaf;
}

const hashOnlyLeaves = new WeakSet<LeafNode>();

/** True for a leaf a proof gives by hash only (its key and value are not revealed). */
export function isHashOnlyLeaf(leaf: LeafNode): boolean {
  return hashOnlyLeaves.has(leaf);
}

/**
 * Verifies `proof` against the trusted `root` and returns `key`'s value, or undefined when the proof shows
 * the key is absent. Throws a coded error when the proof does not verify or does not cover the key.
 */
export function verifyProof(root: Uint8Array, key: Uint8Array, proof: Proof): Uint8Array | undefined {
  if (proof.v !== 0 && proof.v !== 1) badProof(`unsupported version ${proof.v}`);
  if (!bytesEqual(proof.untrustedRoot, root)) badProof('proof is for another root');
  if (proof.entries.length === 0) badProof('empty proof');
  const tree = rebuildProofTree(proof);
  // Decoded internal nodes carry no hash, so this recomputes every one from the proof's contents.
  if (!bytesEqual(childHash(tree), root)) badProof('root mismatch');
  return lookup(NO_LOADER, tree, key)?.slice();
}
