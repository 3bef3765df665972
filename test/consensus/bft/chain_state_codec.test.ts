import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeCanonical } from '../../../src/codec/cbor.ts';
import { advanceChainState, genesisChainState } from '../../../src/consensus/bft/chain_state.ts';
import { decodeChainState, encodeChainState } from '../../../src/consensus/bft/chain_state_codec.ts';
import { Ed25519KeyPair } from '../../../src/crypto/ed25519.ts';
import { CodedError } from '../../../src/errors.ts';

const keys = [1, 2, 3].map((i) => Ed25519KeyPair.fromSeed(new Uint8Array(32).fill(i)).publicKey);

describe('chain state codec', () => {
  it('round-trips validator sets with priorities, so proposers continue identically', () => {
    const g = genesisChainState('c', 1, 1000, {
      validators: keys.map((publicKey, i) => ({ publicKey, power: BigInt(10 + i) })),
      appHash: new Uint8Array(32),
    });
    const s = advanceChainState(
      g,
      { hash: new Uint8Array(32).fill(5), time: 2000 },
      new Uint8Array(32).fill(6),
      [{ publicKey: keys[0]!, power: 0n }],
    );
    const back = decodeChainState(encodeChainState(s));
    assert.deepEqual(encodeChainState(back), encodeChainState(s));
    assert.equal(back.lastValidators!.validators.length, 3);
    for (let r = 0; r < 20; r++) {
      assert.deepEqual(
        back.validators.proposerForRound(r).publicKey,
        s.validators.proposerForRound(r).publicKey,
      );
      assert.deepEqual(
        back.nextValidators.advanced(3).proposer.publicKey,
        s.nextValidators.advanced(3).proposer.publicKey,
      );
    }
  });
  it('rejects a stored set out of order', () => {
    const g = genesisChainState('c', 1, 1000, {
      validators: keys.map((publicKey, i) => ({ publicKey, power: BigInt(10 + i) })),
      appHash: new Uint8Array(32),
    });
    const set = g.validators.validators.map((v) => [v.publicKey, v.power, v.priority]).reverse();
    const bytes = encodeCanonical({
      chain_id: 'c',
      initial_height: 1,
      genesis_time: 1000,
      last_block_height: 0,
      last_block_hash: new Uint8Array(32),
      last_block_time: 1000,
      last_validators: null,
      validators: { validators: set, proposer: keys[0] },
      next_validators: { validators: set, proposer: keys[0] },
      app_hash: new Uint8Array(32),
    });
    assert.throws(() => decodeChainState(bytes), CodedError);
  });
});
