import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { utf8 } from '../../../src/codec/bytes.ts';
import { decodeCanonical, encodeCanonical } from '../../../src/codec/cbor.ts';
import { Ed25519KeyPair } from '../../../src/crypto/ed25519.ts';
import { EMPTY_HASH, sha512_256 } from '../../../src/crypto/hash.ts';
import {
  commitmentVote,
  type ExecutorCommitmentHeader,
  executorCommitmentCodec,
  signComputeResults,
  signExecutorCommitment,
  verifyExecutorCommitment,
  verifyRakSignature,
} from '../../../src/services/roothash/api/commitment.ts';

const node = Ed25519KeyPair.fromSeed(new Uint8Array(32).fill(1));
const rak = Ed25519KeyPair.fromSeed(new Uint8Array(32).fill(2));
const runtime = new Uint8Array(32).fill(3);
const chain = 'ab'.repeat(32);

function header(state = 'a'): ExecutorCommitmentHeader {
  return {
    scheduler_id: node.publicKey,
    header: {
      round: 5n,
      previous_hash: EMPTY_HASH,
      io_root: EMPTY_HASH,
      state_root: sha512_256(utf8(state)),
      messages_hash: EMPTY_HASH,
      in_msgs_hash: EMPTY_HASH,
      in_msgs_count: 0,
    },
    failure: 0,
    rak_sig: undefined,
  };
}

describe('executor commitments', () => {
  it('verify only for the runtime, chain and header they were signed for', () => {
    const c = signExecutorCommitment(node, runtime, chain, header());
    assert.equal(verifyExecutorCommitment(c, runtime, chain), true);
    assert.equal(verifyExecutorCommitment(c, new Uint8Array(32).fill(4), chain), false);
    assert.equal(verifyExecutorCommitment(c, runtime, 'cd'.repeat(32)), false);
    const tampered = { ...c, header: header('b') };
    assert.equal(verifyExecutorCommitment(tampered, runtime, chain), false);
  });

  it('round-trip through canonical CBOR with oasis-core field names and omitted empties', () => {
    const c = signExecutorCommitment(node, runtime, chain, header());
    const wire = executorCommitmentCodec.encode(c) as Record<string, unknown>;
    assert.deepEqual(Object.keys(wire).sort(), ['header', 'node_id', 'sig']);
    const inner = (wire.header as Record<string, unknown>).header as Record<string, unknown>;
    assert.equal('in_msgs_count' in inner, false);
    const back = executorCommitmentCodec.decode(decodeCanonical(encodeCanonical(wire)), 'commit');
    assert.deepEqual(back, c);
  });

  it('vote equal for equal results and differently for different roots', () => {
    const a = signExecutorCommitment(node, runtime, chain, header('a'));
    const other = Ed25519KeyPair.fromSeed(new Uint8Array(32).fill(9));
    const a2 = signExecutorCommitment(other, runtime, chain, header('a'));
    const b = signExecutorCommitment(node, runtime, chain, header('b'));
    assert.equal(commitmentVote(a), commitmentVote(a2));
    assert.notEqual(commitmentVote(a), commitmentVote(b));
  });

  it('carry a RAK signature over the results that verifies under that key only', () => {
    const h = header();
    h.rak_sig = signComputeResults(rak, h.header);
    const c = signExecutorCommitment(node, runtime, chain, h);
    assert.equal(verifyRakSignature(c, rak.publicKey), true);
    assert.equal(verifyRakSignature(c, node.publicKey), false);
    assert.equal(
      verifyRakSignature(signExecutorCommitment(node, runtime, chain, header()), rak.publicKey),
      false,
    );
  });
});
