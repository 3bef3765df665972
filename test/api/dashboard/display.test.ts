import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { displayValue } from '../../../src/api/dashboard/display.ts';
import { quantityToBytes } from '../../../src/codec/quantity.ts';
import { addressFromPublicKey, addressToBech32 } from '../../../src/crypto/address.ts';

describe('dashboard display values', () => {
  const address = addressFromPublicKey(new Uint8Array(32).fill(7));

  it('shows quantities in decimal, addresses as oasis1…, other bytes as hex, bigints as text', () => {
    const body = new Map<unknown, unknown>([
      ['to', address],
      ['amount', quantityToBytes(1_500_000_000n)],
      ['shares', quantityToBytes(0n)],
      ['id', new Uint8Array([0xab, 0xcd])],
      ['nonce', 12n],
      ['list', [quantityToBytes(5n), 'x']],
    ]);
    assert.deepEqual(displayValue(body), {
      to: addressToBech32(address),
      amount: '1500000000',
      shares: '0',
      id: 'abcd',
      nonce: '12',
      // Outside a quantity field, bytes stay bytes.
      list: ['05', 'x'],
    });
  });

  it('falls back to hex for a quantity field that is not a valid quantity', () => {
    assert.deepEqual(displayValue({ amount: new Uint8Array(40).fill(1) }), { amount: '01'.repeat(40) });
  });
});
