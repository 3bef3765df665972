import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toHex } from '../../../../src/codec/bytes.ts';
import { decodeCanonical } from '../../../../src/codec/cbor.ts';
import { accountCodec, emptyAccount, encodeAccount } from '../../../../src/services/staking/api/account.ts';
import { hexOf } from '../../../../src/services/staking/api/address.ts';
import { addr } from '../fixture.ts';

describe('account CBOR shape', () => {
  it('omits every empty field (an unknown account is a0)', () => {
    assert.equal(toHex(encodeAccount(emptyAccount())), 'a0');
  });

  it('encodes only non-zero fields with oasis-core names and round-trips', () => {
    const a = emptyAccount();
    a.general.balance = 256n;
    a.general.nonce = 3n;
    a.general.allowances.set(hexOf(addr(2)), 5n);
    a.escrow.active = { balance: 10n, totalShares: 10n };
    a.escrow.claims.set('registry.RegisterEntity', [{ global: 0 }, { const: 7n }]);
    const bytes = encodeAccount(a);
    const raw = decodeCanonical(bytes) as Record<string, Record<string, unknown>>;
    assert.deepEqual(Object.keys(raw).sort(), ['escrow', 'general']);
    assert.deepEqual(Object.keys(raw.general!).sort(), ['allowances', 'balance', 'nonce']);
    assert.deepEqual(raw.general!.balance, Uint8Array.of(1, 0));
    assert.deepEqual(Object.keys(raw.escrow!).sort(), ['active', 'stake_accumulator']);
    assert.deepEqual(accountCodec.decode(decodeCanonical(bytes), 'a'), a);
  });

  it('rejects unknown fields and non-canonical quantities', () => {
    assert.throws(
      () => accountCodec.decode({ general: { balance: new Uint8Array(0), colour: 1 } }, 'a'),
      /unknown field/,
    );
    assert.throws(
      () => accountCodec.decode({ general: { balance: Uint8Array.of(0, 1) } }, 'a'),
      /non-canonical/,
    );
  });
});
