import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeCanonical, encodeCanonical } from '../../../../src/codec/cbor.ts';
import { hexOf } from '../../../../src/services/staking/api/address.ts';
import {
  defaultStakingParameters,
  stakingParametersCodec,
} from '../../../../src/services/staking/api/params.ts';
import { addr, testParams } from '../fixture.ts';

describe('staking consensus parameters CBOR', () => {
  it('round-trips every field', () => {
    const p = testParams({
      rewardSchedule: [{ until: 90n, scale: 1000n }],
      signingRewardThresholdNumerator: 3n,
      signingRewardThresholdDenominator: 4n,
      slashing: new Map([[0, { amount: 100n, freezeInterval: (1n << 64n) - 1n }]]),
      disableTransfers: true,
      undisableTransfersFrom: new Set([hexOf(addr(1))]),
      allowEscrowMessages: true,
      rewardFactorEpochSigned: 1n,
      debugBypassStake: true,
      tokenSymbol: 'ROSE',
      tokenValueExponent: 9,
    });
    const bytes = encodeCanonical(stakingParametersCodec.encode(p));
    assert.deepEqual(stakingParametersCodec.decode(decodeCanonical(bytes), 'p'), p);
  });

  it('omits zero and false optional fields but keeps the non-omitempty quantities', () => {
    const raw = decodeCanonical(
      encodeCanonical(stakingParametersCodec.encode(defaultStakingParameters())),
    ) as Record<string, unknown>;
    assert.deepEqual(Object.keys(raw).sort(), [
      'commission_schedule_rules',
      'fee_split_weight_next_propose',
      'fee_split_weight_propose',
      'fee_split_weight_vote',
      'min_delegation',
      'min_transact_balance',
      'min_transfer',
      'reward_factor_block_proposed',
      'reward_factor_epoch_signed',
    ]);
  });

  it('rejects unknown fields and unknown threshold kinds', () => {
    const cbor = stakingParametersCodec.encode(testParams());
    assert.throws(
      () => stakingParametersCodec.decode({ ...(cbor as object), bogus: 1 } as never, 'p'),
      /unknown field/,
    );
    const bad = { ...(cbor as object), thresholds: new Map([[42, new Uint8Array(0)]]) };
    assert.throws(() => stakingParametersCodec.decode(bad as never, 'p'), /unexpected value/);
  });
});
