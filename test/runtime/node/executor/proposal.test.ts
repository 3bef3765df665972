/**
 * Batch proposals: the scheduler's signature binds the header to the runtime and chain, the header's
 * `batch_hash` binds the carried batch, and the wire decoder refuses oversize or malformed input with a
 * coded error.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { u64be, utf8 } from '../../../../src/codec/bytes.ts';
import { encodeCanonical } from '../../../../src/codec/cbor.ts';
import { Ed25519KeyPair } from '../../../../src/crypto/ed25519.ts';
import { CODEC_MODULE, CodecError } from '../../../../src/errors.ts';
import {
  batchHash,
  decodeProposal,
  encodeProposal,
  MAX_PROPOSAL_TXS,
  type Proposal,
  signProposal,
  txHashes,
  verifyProposal,
} from '../../../../src/runtime/node/executor/proposal.ts';

const signer = Ed25519KeyPair.fromSeed(new Uint8Array(32).fill(3));
const runtimeId = new Uint8Array(32).fill(0xaa);
const CHAIN = 'a'.repeat(64);
const previousHash = new Uint8Array(32).fill(0x11);
const batch = [utf8('tx one'), utf8('tx two'), utf8('a third, longer transaction')];

/** SHA-512/256 through node:crypto, independent of the project's hash module. */
const sha512_256 = (data: Uint8Array) => new Uint8Array(createHash('sha512-256').update(data).digest());

const proposal = () => signProposal(signer, runtimeId, CHAIN, 7n, previousHash, batch);

/** A deep copy of `p` with byte `index` of the field `pick` selects flipped. */
function flipped(p: Proposal, pick: (q: Proposal) => Uint8Array, index: number): Proposal {
  const q: Proposal = {
    node_id: p.node_id.slice(),
    header: {
      round: p.header.round,
      previous_hash: p.header.previous_hash.slice(),
      batch_hash: p.header.batch_hash.slice(),
    },
    sig: p.sig.slice(),
    batch: p.batch.map((tx) => tx.slice()),
  };
  pick(q)[index]! ^= 0x01;
  return q;
}

describe('batch proposals', () => {
  it('batchHash is SHA-512/256 of the CBOR list of the transaction hashes', () => {
    const hashes = batch.map(sha512_256);
    assert.deepEqual(txHashes(batch), hashes);
    // CBOR array of 3 items (0x83), each a 32-byte byte string (0x58 0x20 …).
    const cbor = new Uint8Array([0x83, ...hashes.flatMap((h) => [0x58, 0x20, ...h])]);
    assert.deepEqual(encodeCanonical(hashes), cbor);
    assert.deepEqual(batchHash(batch), sha512_256(cbor));
    assert.deepEqual(batchHash([]), sha512_256(new Uint8Array([0x80])));
    assert.notDeepEqual(batchHash(batch), batchHash([batch[1]!, batch[0]!, batch[2]!]), 'order matters');
  });

  it('a signed proposal verifies and carries the header it signed', () => {
    const p = proposal();
    assert.deepEqual(p.node_id, signer.publicKey);
    assert.equal(p.header.round, 7n);
    assert.deepEqual(p.header.previous_hash, previousHash);
    assert.deepEqual(p.header.batch_hash, batchHash(batch));
    assert.equal(verifyProposal(p, runtimeId, CHAIN), true);
    assert.equal(
      verifyProposal(signProposal(signer, runtimeId, CHAIN, 0n, previousHash, []), runtimeId, CHAIN),
      true,
    );
  });

  it('any flipped byte of header, signature, signer or batch fails verification', () => {
    const p = proposal();
    const fields: Array<[string, (q: Proposal) => Uint8Array]> = [
      ['previous_hash', (q) => q.header.previous_hash],
      ['batch_hash', (q) => q.header.batch_hash],
      ['sig', (q) => q.sig],
      ['node_id', (q) => q.node_id],
      ...batchFlipSites(p),
    ];
    for (const [name, pick] of fields)
      for (let i = 0; i < pick(p).length; i++)
        assert.equal(verifyProposal(flipped(p, pick, i), runtimeId, CHAIN), false, `${name}[${i}]`);
    assert.equal(verifyProposal({ ...p, header: { ...p.header, round: 8n } }, runtimeId, CHAIN), false);
  });

  it('any flipped byte of the wire form is refused on decode or fails verification', () => {
    const wire = encodeProposal(proposal());
    for (let i = 0; i < wire.length; i++) {
      const bad = wire.slice();
      bad[i]! ^= 0x01;
      let decoded: Proposal;
      try {
        decoded = decodeProposal(bad, wire.length);
      } catch (err) {
        assert.ok(err instanceof CodecError, `byte ${i}: ${String(err)}`);
        continue;
      }
      assert.equal(verifyProposal(decoded, runtimeId, CHAIN), false, `byte ${i}`);
    }
  });

  it('another runtime or chain context fails verification', () => {
    const p = proposal();
    const otherRuntime = runtimeId.slice();
    otherRuntime[31] = 0xab;
    assert.equal(verifyProposal(p, otherRuntime, CHAIN), false);
    assert.equal(verifyProposal(p, runtimeId, 'b'.repeat(64)), false);
  });

  it('a signer key that is not a usable public key fails verification without throwing', () => {
    const p = proposal();
    assert.equal(
      verifyProposal({ ...p, node_id: new Uint8Array(32) }, runtimeId, CHAIN),
      false,
      'small order',
    );
    assert.equal(verifyProposal({ ...p, node_id: new Uint8Array(32).fill(0xff) }, runtimeId, CHAIN), false);
  });

  it('a batch not matching batch_hash fails even with a valid signature', () => {
    const p = proposal();
    assert.equal(verifyProposal({ ...p, batch: batch.slice(0, 2) }, runtimeId, CHAIN), false, 'dropped tx');
    assert.equal(
      verifyProposal({ ...p, batch: [...batch, utf8('extra')] }, runtimeId, CHAIN),
      false,
      'added tx',
    );
    assert.equal(verifyProposal({ ...p, batch: [...batch].reverse() }, runtimeId, CHAIN), false, 'reordered');
  });

  it('encodes and decodes to the same proposal, which still verifies', () => {
    const p = proposal();
    const wire = encodeProposal(p);
    const back = decodeProposal(wire, wire.length);
    assert.deepEqual(back, p);
    assert.equal(verifyProposal(back, runtimeId, CHAIN), true);
    assert.deepEqual(encodeProposal(back), wire);
  });

  it('decodeProposal refuses oversize and malformed input with a codec error', () => {
    const wire = encodeProposal(proposal());
    const isCodec = (err: unknown) =>
      err instanceof CodecError && err.module === CODEC_MODULE && err.code === 1;
    assert.throws(
      () => decodeProposal(wire, wire.length - 1),
      (err) => isCodec(err) && /larger than/.test((err as Error).message),
    );
    assert.throws(() => decodeProposal(wire.subarray(0, wire.length - 1), wire.length), isCodec, 'truncated');
    assert.throws(() => decodeProposal(new Uint8Array([0xff, 0x00]), 100), isCodec, 'not CBOR');
    assert.throws(() => decodeProposal(new Uint8Array(), 100), isCodec, 'empty');
    const shortSig = encodeCanonical({ ...proposal(), sig: new Uint8Array(63) } as never);
    assert.throws(() => decodeProposal(shortSig, 10_000), isCodec, 'short signature');
    const tooMany = Array.from({ length: MAX_PROPOSAL_TXS + 1 }, (_, i) => u64be(i));
    const crowded = encodeProposal(signProposal(signer, runtimeId, CHAIN, 7n, previousHash, tooMany));
    assert.throws(() => decodeProposal(crowded, crowded.length), isCodec, 'more transactions than allowed');
    const extra = encodeCanonical({ ...proposal(), extra: 1 } as never);
    assert.throws(() => decodeProposal(extra, 10_000), isCodec, 'unknown field');
  });
});

/** One flip site per transaction of the batch. */
function batchFlipSites(p: Proposal): Array<[string, (q: Proposal) => Uint8Array]> {
  return p.batch.map((_, t) => [`batch[${t}]`, (q: Proposal) => q.batch[t]!]);
}
