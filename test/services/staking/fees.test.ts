import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BodyEncoders, StakingMethods } from '../../../src/services/staking/api/methods.ts';
import { addr, key, makeGenesis, RegistryTable, TestChain } from './fixture.ts';

const vote = (i: number, signed: boolean) => ({ publicKey: key(i).publicKey, power: 1n, signed });

describe('fee disbursement', () => {
  it('splits fees 2:1:1 between proposer, voters and next proposer (worked numbers)', () => {
    // Consensus keys 10, 11, 12 belong to entities 1, 2, 3; key 13 is not a registered node.
    const registry = new RegistryTable().add(10, 1).add(11, 2).add(12, 3);
    const chain = new TestChain(
      makeGenesis([
        [1, 0n],
        [2, 0n],
        [3, 0n],
        [5, 10_000n],
        [6, 10_000n],
      ]),
      { registry },
    );
    const body = BodyEncoders.transfer({ to: addr(7), amount: 1n });
    const a = chain.sign(5, StakingMethods.transfer, body, { fee: { amount: 101n, gas: 10_000n } });
    const b = chain.sign(6, StakingMethods.transfer, body, { fee: { amount: 102n, gas: 10_000n } });
    chain.block([a, b], { proposer: 10 });
    // 203 fees: proposer gets 203 − floor(203 × 2/4) = 102, 101 is kept for voters and next proposer.
    assert.equal(chain.staking.account(addr(1)).general.balance, 102n);
    assert.equal(chain.staking.lastBlockFees(), 101n);

    const pool = chain.staking.commonPool();
    chain.block([], {
      proposer: 11,
      lastCommit: [vote(10, true), vote(11, true), vote(12, false), vote(13, true)],
    });
    // slot = floor(101/4) = 25; next-proposer cut floor(25 × 1/2) = 12, vote cut 13.
    // Entities 1 and 2 signed and resolve: +13 each; proposer (entity 2) gets 12 × 2 = 24; rest 51 → common pool.
    assert.equal(chain.staking.account(addr(1)).general.balance, 102n + 13n);
    assert.equal(chain.staking.account(addr(2)).general.balance, 13n + 24n);
    assert.equal(chain.staking.account(addr(3)).general.balance, 0n);
    assert.equal(chain.staking.commonPool(), pool + 51n);
    assert.equal(chain.staking.lastBlockFees(), 0n);
  });

  it('sends the proposer share to the common pool when the proposer is unknown', () => {
    const chain = new TestChain(makeGenesis([[5, 10_000n]]));
    const tx = chain.sign(5, StakingMethods.burn, BodyEncoders.burn({ amount: 1n }), {
      fee: { amount: 40n, gas: 10_000n },
    });
    chain.block([tx], { proposer: 99 });
    assert.equal(chain.staking.commonPool(), 20n);
    assert.equal(chain.staking.lastBlockFees(), 20n);
  });
});
