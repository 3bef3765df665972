import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ReservedAddresses } from '../../../../src/crypto/address.ts';
import { hexOf } from '../../../../src/services/staking/api/address.ts';
import { BodyEncoders, StakingMethods } from '../../../../src/services/staking/api/methods.ts';
import { addr, makeGenesis, TestChain, testParams } from '../fixture.ts';
import { expectFailure } from './helpers.ts';

const allow = (beneficiary: Uint8Array, amountChange: bigint, negative = false) =>
  BodyEncoders.allow({ beneficiary, amountChange, negative });
const withdraw = (from: Uint8Array, amount: bigint) => BodyEncoders.withdraw({ from, amount });

describe('staking.Allow', () => {
  it('adds, subtracts (saturating) and removes allowances', () => {
    const chain = new TestChain(makeGenesis([[1, 1000n]]));
    assert.equal(chain.run(1, StakingMethods.allow, allow(addr(2), 100n)).error, undefined);
    assert.equal(chain.staking.account(addr(1)).general.allowances.get(hexOf(addr(2))), 100n);
    const res = chain.run(1, StakingMethods.allow, allow(addr(2), 500n, true));
    assert.equal(res.error, undefined);
    const ev = res.events.find((e) => e.kind === 'allowance_change')!.value as Record<string, unknown>;
    assert.deepEqual(ev.amount_change, Uint8Array.of(100));
    assert.equal(ev.negative, true);
    assert.equal(chain.staking.account(addr(1)).general.allowances.size, 0);
  });

  it('enforces max_allowances (7), total supply (11), self (1), reserved (5), disabled (5)', () => {
    const chain = new TestChain(makeGenesis([[1, 1000n]], { params: testParams({ maxAllowances: 1 }) }));
    chain.run(1, StakingMethods.allow, allow(addr(2), 1n));
    expectFailure(chain, 1, StakingMethods.allow, allow(addr(3), 1n), 'staking', 7);
    expectFailure(chain, 1, StakingMethods.allow, allow(addr(2), 5000n), 'staking', 11);
    expectFailure(chain, 1, StakingMethods.allow, allow(addr(1), 1n), 'staking', 1);
    expectFailure(chain, 1, StakingMethods.allow, allow(ReservedAddresses.commonPool, 1n), 'staking', 5);
    const off = new TestChain(makeGenesis([[1, 1000n]], { params: testParams({ maxAllowances: 0 }) }));
    expectFailure(off, 1, StakingMethods.allow, allow(addr(2), 1n), 'staking', 5);
  });
});

describe('staking.Withdraw', () => {
  it('moves funds within the allowance and reduces it', () => {
    const chain = new TestChain(
      makeGenesis([
        [1, 1000n],
        [2, 10n],
      ]),
    );
    chain.run(1, StakingMethods.allow, allow(addr(2), 100n));
    const res = chain.run(2, StakingMethods.withdraw, withdraw(addr(1), 60n));
    assert.equal(res.error, undefined);
    assert.equal(chain.staking.account(addr(1)).general.balance, 940n);
    assert.equal(chain.staking.account(addr(2)).general.balance, 70n);
    assert.equal(chain.staking.account(addr(1)).general.allowances.get(hexOf(addr(2))), 40n);
    assert.deepEqual(
      res.events.map((e) => e.kind),
      ['transfer', 'allowance_change'],
    );
  });

  it('fails without allowance (5), over it (5), beyond balance (3), under min transfer (9), self (1)', () => {
    const chain = new TestChain(
      makeGenesis(
        [
          [1, 50n],
          [2, 100n],
          [3, 100n],
        ],
        { params: testParams({ minTransfer: 2n }) },
      ),
    );
    assert.equal(chain.run(1, StakingMethods.allow, allow(addr(2), 200n)).error, undefined);
    expectFailure(chain, 3, StakingMethods.withdraw, withdraw(addr(1), 5n), 'staking', 5);
    expectFailure(chain, 2, StakingMethods.withdraw, withdraw(addr(1), 201n), 'staking', 5);
    expectFailure(chain, 2, StakingMethods.withdraw, withdraw(addr(1), 150n), 'staking', 3);
    expectFailure(chain, 2, StakingMethods.withdraw, withdraw(addr(1), 1n), 'staking', 9);
    expectFailure(chain, 2, StakingMethods.withdraw, withdraw(addr(2), 5n), 'staking', 1);
  });

  it('keeps the source at min_transact_balance (10) and is forbidden when allowances are off (5)', () => {
    const chain = new TestChain(
      makeGenesis(
        [
          [1, 100n],
          [2, 100n],
        ],
        { params: testParams({ minTransactBalance: 50n }) },
      ),
    );
    assert.equal(chain.run(1, StakingMethods.allow, allow(addr(2), 100n)).error, undefined);
    expectFailure(chain, 2, StakingMethods.withdraw, withdraw(addr(1), 60n), 'staking', 10);
    const off = new TestChain(
      makeGenesis(
        [
          [1, 100n],
          [2, 100n],
        ],
        { params: testParams({ disableTransfers: true }) },
      ),
    );
    expectFailure(off, 2, StakingMethods.withdraw, withdraw(addr(1), 5n), 'staking', 5);
  });
});
