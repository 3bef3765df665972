import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bech32, bech32m } from '@scure/base';
import { concatBytes, fromHex, toHex, u64be, utf8 } from '../../src/codec/bytes.ts';
import {
  addressFromBech32,
  addressFromModule,
  addressFromPublicKey,
  addressFromRuntimeId,
  addressToBech32,
  ReservedAddresses,
} from '../../src/crypto/address.ts';
import { sha512_256 } from '../../src/crypto/hash.ts';

// Vectors from oasis-core go/staking/api/address_test.go.
describe('staking addresses (oasis-core unit-test vectors)', () => {
  it('account address of a public key', () => {
    const pk = fromHex('badadd1e55ffffffffffffffffffffffffffffffffffffffffffffffffffffff');
    assert.equal(addressToBech32(addressFromPublicKey(pk)), 'oasis1qryqqccycvckcxp453tflalujvlf78xymcdqw4vz');
  });

  it('hands every caller its own copy of a remembered address', () => {
    const pk = fromHex('badadd1e55ffffffffffffffffffffffffffffffffffffffffffffffffffffff');
    const first = addressFromPublicKey(pk);
    first.fill(0);
    assert.equal(addressToBech32(addressFromPublicKey(pk)), 'oasis1qryqqccycvckcxp453tflalujvlf78xymcdqw4vz');
  });

  it('runtime address of a test namespace, separated from the account address of the same bytes', () => {
    // NewTestNamespaceFromSeed: flags (test bit 63) big-endian || first 24 bytes of SHA-512/256(seed).
    const id = concatBytes(u64be(1n << 63n), sha512_256(utf8('runtime address test 1')).subarray(0, 24));
    assert.equal(addressToBech32(addressFromRuntimeId(id)), 'oasis1qpllh99nhwzrd56px4txvl26atzgg4f3a58jzzad');
    assert.notEqual(toHex(addressFromRuntimeId(id)), toHex(addressFromPublicKey(id)));
  });

  it('module address', () => {
    assert.equal(
      addressToBech32(addressFromModule('test', 'foo')),
      'oasis1qpgsr850rfz7v8nxpgz8urkw3xp4nnwjgux629kl',
    );
  });

  it('the all-zero address (what CBOR null decodes to in Go)', () => {
    assert.equal(addressToBech32(new Uint8Array(21)), 'oasis1qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq0ltrq9');
  });

  it('the burn address round-trips', () => {
    assert.equal(addressToBech32(ReservedAddresses.burn), 'oasis1qzq8u7xs328puu2jy524w3fygzs63rv3u5967970');
  });
});

describe('bech32 parsing', () => {
  const good = 'oasis1qryqqccycvckcxp453tflalujvlf78xymcdqw4vz';

  it('round-trips and rejects every malformed form', () => {
    assert.equal(addressToBech32(addressFromBech32(good)), good);
    const flipped = `${good.slice(0, -1)}${good.endsWith('z') ? 'y' : 'z'}`;
    const words = bech32.toWords(addressFromBech32(good));
    const bad = [
      flipped, // checksum
      good.replace('oasis1', 'cosmos1'), // wrong prefix (checksum recomputed below)
      bech32.encode('cosmos', words),
      bech32m.encode('oasis', words), // bech32m, not bech32
      bech32.encode('oasis', bech32.toWords(new Uint8Array(20))), // 20 bytes
      bech32.encode('oasis', bech32.toWords(new Uint8Array(32))), // 32 bytes
      '',
      'oasis1',
      `${good} `,
    ];
    for (const text of bad) assert.throws(() => addressFromBech32(text), /invalid address/, text);
  });
});
