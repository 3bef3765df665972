import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BodyEncoders, StakingMethods } from '../../../src/services/staking/api/methods.ts';
import { addr, key, makeGenesis, RegistryTable, TestChain, testParams } from './fixture.ts';

const signedBy = (...keys: number[]) =>
  keys.map((i) => ({ publicKey: key(i).publicKey, power: 1n, signed: true }));

function stakedChain(over: Parameters<typeof testParams>[0]) {
  const params = testParams({ rewardSchedule: [{ until: 100n, scale: 1000n }], ...over });
  const registry = new RegistryTable().add(10, 1).add(11, 2).add(12, 3).add(13, 4);
  const chain = new TestChain(makeGenesis([[1, 1_100_000n]], { params, commonPool: 1_000_000n }), {
    registry,
    epochInterval: 10,
  });
  chain.run(1, StakingMethods.addEscrow, BodyEncoders.escrow({ account: addr(1), amount: 1_000_000n }));
  return chain;
}

describe('rewards', () => {
  it('epoch signing reward with commission (worked numbers)', () => {
    const chain = stakedChain({
      rewardFactorEpochSigned: 2n,
      signingRewardThresholdNumerator: 3n,
      signingRewardThresholdDenominator: 4n,
    });
    const amend = BodyEncoders.amendCommissionSchedule({
      amendment: {
        rates: [{ start: 1n, rate: 20_000n }],
        bounds: [{ start: 1n, rateMin: 0n, rateMax: 50_000n }],
      },
    });
    assert.equal(chain.run(1, StakingMethods.amendCommissionSchedule, amend).error, undefined);
    chain.lastCommit = signedBy(10);
    const pool = chain.staking.commonPool();
    chain.advanceTo(11); // height 10 is the first block of epoch 1
    // reward = floor(1_000_000 × 2 × 1000 / 10^8) = 20; commission 20% = 4, rest 16 raises the share price,
    // then 4 is deposited at floor(4 × 1_000_000 / 1_000_016) = 3 new shares.
    assert.deepEqual(chain.staking.account(addr(1)).escrow.active, {
      balance: 1_000_020n,
      totalShares: 1_000_003n,
    });
    assert.equal(chain.staking.delegation(addr(1), addr(1)).shares, 1_000_003n);
    assert.equal(chain.staking.commonPool(), pool - 20n);
  });

  it('entities under the signing threshold earn nothing', () => {
    const chain = stakedChain({
      rewardFactorEpochSigned: 2n,
      signingRewardThresholdNumerator: 3n,
      signingRewardThresholdDenominator: 4n,
    });
    chain.lastCommit = []; // entity 1 never signs
    const pool = chain.staking.commonPool();
    chain.advanceTo(11);
    assert.equal(chain.staking.commonPool(), pool);
  });

  it('block proposing reward is attenuated by signed votes / votes (worked numbers)', () => {
    const chain = stakedChain({ rewardFactorBlockProposed: 3n });
    const pool = chain.staking.commonPool();
    const lastCommit = [...signedBy(11, 12, 13), { publicKey: key(10).publicKey, power: 1n, signed: false }];
    chain.block([], { proposer: 10, lastCommit });
    // floor(floor(1_000_000 × 3 × 1000 × 3 / 10^8) / 4) = floor(90 / 4) = 22, no commission schedule → min rate 0.
    assert.deepEqual(chain.staking.account(addr(1)).escrow.active, {
      balance: 1_000_022n,
      totalShares: 1_000_000n,
    });
    assert.equal(chain.staking.commonPool(), pool - 22n);
  });

  it('pays nothing past the end of the reward schedule', () => {
    const chain = stakedChain({
      rewardFactorBlockProposed: 3n,
      rewardSchedule: [{ until: 0n, scale: 1000n }],
    });
    const pool = chain.staking.commonPool();
    chain.block([], { proposer: 10, lastCommit: signedBy(10) });
    assert.equal(chain.staking.commonPool(), pool);
  });
});
