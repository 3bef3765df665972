/** The logs bloom against go-ethereum's own vector (core/types bloom9_test.go, TestBloomExtensively). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { toHex, utf8 } from '../../../../src/codec/bytes.ts';
import { BLOOM_BYTES, bloomAdd, logsBloom } from '../../../../src/runtime/node/eth_index/bloom.ts';

describe('logs bloom', () => {
  it("matches go-ethereum's bloom of 100 values", () => {
    const bloom = new Uint8Array(BLOOM_BYTES);
    for (let i = 0; i < 100; i++) bloomAdd(bloom, utf8(`xxxxxxxxxx data ${i} yyyyyyyyyyyyyy`));
    assert.equal(
      toHex(keccak_256(bloom)),
      'c8d3ca65cdb4874300a9e39475508f23ed6da09fdbc487f89a2dcf50b09eb263',
    );
  });

  it('covers the address and every topic of every log; no logs, no bits', () => {
    assert.deepEqual(logsBloom([]), new Uint8Array(BLOOM_BYTES));
    const address = new Uint8Array(20).fill(1);
    const topic = new Uint8Array(32).fill(2);
    const expected = new Uint8Array(BLOOM_BYTES);
    bloomAdd(expected, address);
    bloomAdd(expected, topic);
    assert.deepEqual(logsBloom([{ address, topics: [topic] }]), expected);
  });
});
