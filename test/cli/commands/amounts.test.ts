import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  formatAmount,
  formatAmountWithBase,
  parseAmount,
  parseSignedAmount,
  toTokenString,
} from '../../../src/cli/commands/amounts.ts';

const TEST = { symbol: 'TEST', exponent: 9 };
const ROSE = { symbol: 'ROSE', exponent: 9 };
const WHOLE = { symbol: 'WHOLE', exponent: 0 };

describe('CLI amounts', () => {
  it('parses base units and token amounts exactly', () => {
    const table: Array<[string, typeof TEST, bigint]> = [
      ['0', TEST, 0n],
      ['1234', TEST, 1234n],
      ['007', TEST, 7n],
      ['18446744073709551616', TEST, 18446744073709551616n],
      ['1.5', TEST, 1_500_000_000n],
      ['.5', TEST, 500_000_000n],
      ['5.', TEST, 5_000_000_000n],
      ['0.000000001', TEST, 1n],
      ['10 TEST', TEST, 10_000_000_000n],
      ['10TEST', TEST, 10_000_000_000n],
      ['0.25 TEST', TEST, 250_000_000n],
      [' 3 ROSE ', ROSE, 3_000_000_000n],
      ['42 WHOLE', WHOLE, 42n],
      ['42', WHOLE, 42n],
    ];
    for (const [text, token, expected] of table) {
      assert.equal(parseAmount(text, '--stake.amount', token), expected, text);
    }
  });

  it('rejects malformed amounts naming the flag and the reason', () => {
    const table: Array<[string, typeof TEST, RegExp]> = [
      ['', TEST, /^--stake\.amount: empty amount/],
      ['abc', TEST, /^--stake\.amount: not a valid amount/],
      ['-5', TEST, /^--stake\.amount: not a valid amount/],
      ['+5', TEST, /not a valid amount/],
      ['1,5', TEST, /not a valid amount/],
      ['1e9', TEST, /not a valid amount/],
      ['5 ROSE', TEST, /unknown unit "ROSE", the token symbol is TEST/],
      ['5 test', TEST, /unknown unit "test"/],
      ['0.0000000001', TEST, /TEST has 9 decimal places, the amount has 10/],
      ['1.5', WHOLE, /WHOLE has 0 decimal places, the amount has 1/],
      ['TEST', TEST, /not a valid amount/],
      ['.', TEST, /not a valid amount/],
      [`1${'0'.repeat(80)}`, TEST, /amount too large/],
    ];
    for (const [text, token, re] of table) {
      assert.throws(
        () => parseAmount(text, '--stake.amount', token),
        (e: Error) => re.test(e.message),
        text,
      );
    }
  });

  it('parses signed allowance changes', () => {
    assert.deepEqual(parseSignedAmount('-1.5', '--stake.allow.amount_change', TEST), {
      negative: true,
      amount: 1_500_000_000n,
    });
    assert.deepEqual(parseSignedAmount('7', '--f', TEST), { negative: false, amount: 7n });
    assert.throws(
      () => parseSignedAmount('--7', '--f', TEST),
      (e: Error) => /^--f: not a valid amount \(got "--7"/.test(e.message),
    );
  });

  it("formats like oasis-core's pretty printer", () => {
    // The same table oasis-core's token.TestConvertToTokenAmount uses.
    const table: Array<[bigint, number, string]> = [
      [10000000000000000000n, 9, '10000000000.0'],
      [100000000000n, 9, '100.0'],
      [7999217230119682890n, 9, '7999217230.11968289'],
      [7999217230100000000n, 9, '7999217230.1'],
      [0n, 9, '0.0'],
      [10000000000000000001n, 18, '10.000000000000000001'],
      [100000000000n, 18, '0.0000001'],
      [10000000000000000001n, 0, '10000000000000000001.0'],
    ];
    for (const [base, exp, text] of table) assert.equal(toTokenString(base, exp), text);
    assert.equal(formatAmount(1_500_000_000n, TEST), '1.5 TEST');
    assert.equal(formatAmountWithBase(777n, TEST), '0.000000777 TEST (777 base units)');
  });

  it('round-trips every formatted amount through the parser', () => {
    for (const base of [0n, 1n, 999n, 1_000_000_000n, 123_456_789_012_345n]) {
      assert.equal(parseAmount(formatAmount(base, TEST), '--f', TEST), base);
    }
  });
});
