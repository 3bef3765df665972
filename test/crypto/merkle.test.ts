/** CometBFT's simple Merkle tree: known roots, proofs for every size and index, tampering refused. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toHex, utf8 } from '../../src/codec/bytes.ts';
import { merkleProofs, merkleRoot, sha256, verifyMerkleProof } from '../../src/crypto/merkle.ts';

describe('merkle', () => {
  it('hashes the empty tree to SHA-256 of nothing and one item to its leaf hash', () => {
    assert.equal(toHex(merkleRoot([])), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    assert.equal(toHex(merkleRoot([utf8('a')])), toHex(sha256(Uint8Array.of(0), utf8('a'))));
  });

  it('splits at the largest power of two below the size (RFC 6962)', () => {
    const items = ['a', 'b', 'c'].map(utf8);
    const leaf = (x: Uint8Array) => sha256(Uint8Array.of(0), x);
    const inner = (l: Uint8Array, r: Uint8Array) => sha256(Uint8Array.of(1), l, r);
    const expected = inner(inner(leaf(items[0]!), leaf(items[1]!)), leaf(items[2]!));
    assert.equal(toHex(merkleRoot(items)), toHex(expected));
  });

  it('proves every item of trees of 1..17 items, and refuses a wrong item, index or root', () => {
    for (let n = 1; n <= 17; n++) {
      const items = Array.from({ length: n }, (_, i) => utf8(`tx ${i}`));
      const root = merkleRoot(items);
      const proofs = merkleProofs(items);
      proofs.forEach((proof, i) => {
        assert.ok(verifyMerkleProof(root, proof, items[i]!), `n=${n} i=${i}`);
        assert.ok(!verifyMerkleProof(root, proof, utf8('other')));
        if (n > 1) assert.ok(!verifyMerkleProof(root, { ...proof, index: (i + 1) % n }, items[i]!));
        assert.ok(!verifyMerkleProof(sha256(root), proof, items[i]!));
      });
    }
  });
});
