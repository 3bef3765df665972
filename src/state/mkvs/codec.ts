/**
 * Binary node encodings of oasis-core (`node.go` MarshalBinary / CompactMarshalBinaryV0/V1):
 * - leaf: 0x00 || LE16 len(key) || key || LE32 len(value) || value
 * - internal (full, our storage record): 0x01 || LE16 label bits || label || leaf-or-0x02 || left hash || right hash
 * - internal (compact, proofs): the same without the two hashes; v1 proofs always put 0x02 for the leaf.
 * Decoding is strict (no trailing bytes, canonical labels), since proofs arrive from untrusted peers.
 */

import { bytesEqual } from '../../codec/bytes.ts';
import { EMPTY_HASH, HASH_SIZE } from '../../crypto/hash.ts';
import { bitsToBytes } from './bits.ts';
import { MkvsErrorCode, mkvsError } from './errors.ts';
import {
  childHash,
  FROZEN,
  type InternalNode,
  type LeafNode,
  NodeRef,
  newLeaf,
  PREFIX_INTERNAL,
  PREFIX_LEAF,
  PREFIX_NIL,
  type TreeNode,
} from './node.ts';

function leafSize(leaf: LeafNode): number {
  return 1 + 2 + leaf.key.length + 4 + leaf.value.length;
}

function writeLeaf(out: Uint8Array, view: DataView, pos: number, leaf: LeafNode): number {
  out[pos++] = PREFIX_LEAF;
  view.setUint16(pos, leaf.key.length, true);
  out.set(leaf.key, pos + 2);
  pos += 2 + leaf.key.length;
  view.setUint32(pos, leaf.value.length, true);
  out.set(leaf.value, pos + 4);
  return pos + 4 + leaf.value.length;
}

/** A leaf's encoding (the same in storage and proofs). */
export function encodeLeaf(leaf: LeafNode): Uint8Array {
  const out = new Uint8Array(leafSize(leaf));
  writeLeaf(out, new DataView(out.buffer), 0, leaf);
  return out;
}

function internalSize(node: InternalNode, full: boolean, leaf: LeafNode | null): number {
  return 3 + node.label.length + (leaf === null ? 1 : leafSize(leaf)) + (full ? 2 * HASH_SIZE : 0);
}

function writeInternal(
  out: Uint8Array,
  view: DataView,
  pos: number,
  node: InternalNode,
  full: boolean,
  leaf: LeafNode | null,
): number {
  out[pos] = PREFIX_INTERNAL;
  view.setUint16(pos + 1, node.labelBits, true);
  out.set(node.label, pos + 3);
  pos += 3 + node.label.length;
  if (leaf === null) out[pos++] = PREFIX_NIL;
  else pos = writeLeaf(out, view, pos, leaf);
  if (full) {
    out.set(childHash(node.left), pos);
    out.set(childHash(node.right), pos + HASH_SIZE);
    pos += 2 * HASH_SIZE;
  }
  return pos;
}

/**
 * An internal node's encoding. `full` appends the child hashes (storage); compact leaves them out
 * (proofs), and `withLeaf` false writes 0x02 in place of the leaf (v1 proofs).
 */
export function encodeInternal(node: InternalNode, full: boolean, withLeaf = true): Uint8Array {
  const leaf = withLeaf ? node.leaf : null;
  const out = new Uint8Array(internalSize(node, full, leaf));
  writeInternal(out, new DataView(out.buffer), 0, node, full, leaf);
  return out;
}

/** Size of a node's full encoding (as stored). */
export function encodedNodeSize(node: TreeNode): number {
  return node.kind === 'leaf' ? leafSize(node) : internalSize(node, true, node.leaf);
}

/**
 * Writes a node's full encoding at `pos` of `out` (`view` covering `out` from its start), for stores that
 * frame records in a reused buffer. Returns the position after it.
 */
export function writeNode(out: Uint8Array, view: DataView, pos: number, node: TreeNode): number {
  return node.kind === 'leaf'
    ? writeLeaf(out, view, pos, node)
    : writeInternal(out, view, pos, node, true, node.leaf);
}

/** A node's full encoding (as stored). */
export function encodeNode(node: TreeNode): Uint8Array {
  const out = new Uint8Array(encodedNodeSize(node));
  writeNode(out, new DataView(out.buffer), 0, node);
  return out;
}

function malformed(what: string): never {
  throw mkvsError(MkvsErrorCode.badInput, `malformed node: ${what}`);
}

class Reader {
  pos = 0;
  readonly view: DataView;
  constructor(readonly data: Uint8Array) {
    this.view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }
  need(n: number): void {
    if (this.pos + n > this.data.length) malformed('truncated');
  }
  /** The next `n` bytes as a view (decoded nodes share their record's buffer). */
  take(n: number): Uint8Array {
    this.need(n);
    const out = this.data.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  u8(): number {
    this.need(1);
    return this.data[this.pos++]!;
  }
  u16(): number {
    this.need(2);
    const v = this.view.getUint16(this.pos, true);
    this.pos += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return v;
  }
}

function readLeaf(r: Reader): LeafNode {
  if (r.u8() !== PREFIX_LEAF) malformed('expected a leaf');
  const keyLen = r.u16();
  if (keyLen * 8 > 0xffff) malformed('key too long');
  const key = r.take(keyLen);
  const value = r.take(r.u32());
  return newLeaf(key, value);
}

function readChild(r: Reader): NodeRef | null {
  const hash = r.take(HASH_SIZE);
  return bytesEqual(hash, EMPTY_HASH) ? null : new NodeRef(hash);
}

/** Which encoding `decodeNode` expects for internal nodes. */
export type NodeForm = 'full' | 'compact-v0' | 'compact-v1';

/**
 * Decodes one node. Internal nodes come back frozen (never changed in place); in the full form their
 * children are `NodeRef`s (null for the empty hash), in compact forms children are null placeholders.
 */
export function decodeNode(data: Uint8Array, form: NodeForm): TreeNode {
  const r = new Reader(data);
  let node: TreeNode;
  if (data[0] === PREFIX_LEAF) {
    node = readLeaf(r);
  } else if (data[0] === PREFIX_INTERNAL) {
    r.pos = 1;
    const labelBits = r.u16();
    const label = r.take(bitsToBytes(labelBits));
    const rest = labelBits & 7;
    if (rest !== 0 && (label[label.length - 1]! & (0xff >>> rest)) !== 0) malformed('non-canonical label');
    r.need(1);
    let leaf: LeafNode | null = null;
    if (data[r.pos] === PREFIX_NIL) r.pos++;
    else if (form === 'compact-v1') malformed('v1 compact internal node carries a leaf');
    else leaf = readLeaf(r);
    const left = form === 'full' ? readChild(r) : null;
    const right = form === 'full' ? readChild(r) : null;
    node = { kind: 'internal', label, labelBits, leaf, left, right, hash: undefined, gen: FROZEN };
  } else {
    malformed('unknown node type');
  }
  if (r.pos !== data.length) malformed('trailing bytes');
  return node;
}
