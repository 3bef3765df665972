import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CodedError } from '../../../../src/errors.ts';
import {
  amountFromConsensus,
  amountToConsensus,
  checkScalingFactor,
  runtimeDecimals,
} from '../../../../src/runtime/process/sdk/consensus.ts';

describe('consensus amount scaling', () => {
  it('scales up by the factor and back down only when exact', () => {
    assert.equal(amountFromConsensus(7n, 10n ** 9n), 7_000_000_000n);
    assert.equal(amountToConsensus(7_000_000_000n, 10n ** 9n), 7n);
    assert.equal(amountToConsensus(0n, 10n ** 9n), 0n);
    assert.equal(amountToConsensus(123n, 1n), 123n);
    assert.throws(
      () => amountToConsensus(7_000_000_001n, 10n ** 9n),
      (err) => err instanceof CodedError && err.module === 'consensus' && err.code === 5,
    );
  });

  it('accepts only powers of ten as factors, and counts the decimals they add', () => {
    assert.equal(runtimeDecimals(1n), 9);
    assert.equal(runtimeDecimals(10n ** 9n), 18);
    assert.throws(() => checkScalingFactor(0n), /zero/);
    assert.throws(() => checkScalingFactor(20n), /power of 10/);
  });
});
