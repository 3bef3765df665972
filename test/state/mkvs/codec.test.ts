import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toHex, utf8 } from '../../../src/codec/bytes.ts';
import { EMPTY_HASH } from '../../../src/crypto/hash.ts';
import { CodedError } from '../../../src/errors.ts';
import {
  decodeNode,
  encodedNodeSize,
  encodeInternal,
  encodeLeaf,
  encodeNode,
  writeNode,
} from '../../../src/state/mkvs/codec.ts';
import { childHash, type InternalNode, NodeRef, newInternal, newLeaf } from '../../../src/state/mkvs/node.ts';

const leaf = newLeaf(utf8('key 1'), utf8('value 1'));
const child = new NodeRef(new Uint8Array(32).fill(7));
const node: InternalNode = newInternal(Uint8Array.of(0b1010_0000), 3, leaf, child, null, 1);

test('leaf encoding is 0x00 || LE16 key length || key || LE32 value length || value', () => {
  assert.equal(toHex(encodeLeaf(newLeaf(utf8('ab'), utf8('c')))), '000200616201000000' + '63');
});

test('full internal nodes round-trip with hashes; children decode as refs (empty hash = nil)', () => {
  const encoded = encodeNode(node);
  assert.equal(toHex(encoded.subarray(0, 4)), '010300a0');
  assert.deepEqual(encoded.subarray(encoded.length - 32), EMPTY_HASH);
  const decoded = decodeNode(encoded, 'full') as InternalNode;
  assert.equal(decoded.labelBits, 3);
  assert.deepEqual(decoded.leaf?.value, utf8('value 1'));
  assert.ok(decoded.left?.kind === 'ref');
  assert.equal(decoded.right, null);
  assert.deepEqual(childHash(decoded), childHash(node));
  // Writing into a larger buffer at an offset gives the same bytes.
  const framed = new Uint8Array(4 + encodedNodeSize(node) + 3);
  assert.equal(writeNode(framed, new DataView(framed.buffer), 4, node), 4 + encoded.length);
  assert.deepEqual(framed.subarray(4, 4 + encoded.length), encoded);
});

test('compact forms: v0 keeps the leaf inline, v1 writes 0x02 for it', () => {
  const v0 = encodeInternal(node, false, true);
  const v1 = encodeInternal(node, false, false);
  assert.equal(toHex(v1), '010300a002');
  const decoded = decodeNode(v0, 'compact-v0') as InternalNode;
  assert.deepEqual(
    [decoded.label, decoded.labelBits, decoded.left, decoded.right],
    [node.label, 3, null, null],
  );
  assert.deepEqual([decoded.leaf?.key, decoded.leaf?.value], [leaf.key, leaf.value]);
  assert.equal((decodeNode(v1, 'compact-v1') as InternalNode).leaf, null);
  assert.throws(() => decodeNode(v0, 'compact-v1'), CodedError);
});

test('malformed nodes are refused', () => {
  const bad = [
    new Uint8Array(0),
    Uint8Array.of(0x03),
    Uint8Array.of(0x01, 0x03, 0x00, 0xb0, 0x02), // label bits past the length set
    Uint8Array.of(0x01, 0x10, 0x00, 0xa0), // truncated label
    Uint8Array.of(...encodeLeaf(leaf), 0), // trailing byte
    encodeLeaf(leaf).subarray(0, 10), // truncated value
  ];
  for (const data of bad) assert.throws(() => decodeNode(data, 'compact-v0'), CodedError, toHex(data));
});
