import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ReservedAddresses } from '../../../../src/crypto/address.ts';
import { BodyEncoders, StakingMethods } from '../../../../src/services/staking/api/methods.ts';
import { addr, makeGenesis, TestChain, testParams } from '../fixture.ts';
import { expectFailure, FEE } from './helpers.ts';

const escrow = (account: Uint8Array, amount: bigint) => BodyEncoders.escrow({ account, amount });
const reclaim = (account: Uint8Array, shares: bigint) => BodyEncoders.reclaimEscrow({ account, shares });

describe('staking.AddEscrow', () => {
  it('mints shares 1:1 into an empty pool, then at the pool price', () => {
    const chain = new TestChain(
      makeGenesis([
        [1, 1000n],
        [2, 1000n],
      ]),
    );
    assert.equal(chain.run(1, StakingMethods.addEscrow, escrow(addr(1), 100n)).error, undefined);
    // Raise the share price: 100 units now back 100 shares; add 50 units without shares.
    const st = chain.staking;
    const a1 = st.account(addr(1));
    a1.escrow.active.balance += 50n;
    a1.general.balance -= 50n;
    st.setAccount(addr(1), a1);
    const res = chain.run(2, StakingMethods.addEscrow, escrow(addr(1), 100n));
    assert.equal(res.error, undefined);
    // floor(100 × 100 / 150) = 66
    assert.equal(chain.staking.delegation(addr(2), addr(1)).shares, 66n);
    assert.deepEqual(chain.staking.account(addr(1)).escrow.active, { balance: 250n, totalShares: 166n });
    const ev = res.events.find((e) => e.kind === 'add_escrow')!.value as Record<string, Uint8Array>;
    assert.deepEqual(ev.new_shares, Uint8Array.of(66));
    assert.deepEqual([...chain.staking.delegationsFor(addr(2))].length, 1);
  });

  it('fails under min_delegation (8), beyond balance (unknown/1), below min balance (10)', () => {
    const chain = new TestChain(
      makeGenesis([[1, 100n]], { params: testParams({ minTransactBalance: 20n }) }),
    );
    expectFailure(chain, 1, StakingMethods.addEscrow, escrow(addr(2), 9n), 'staking', 8);
    expectFailure(chain, 1, StakingMethods.addEscrow, escrow(addr(2), 500n), 'unknown', 1);
    expectFailure(chain, 1, StakingMethods.addEscrow, escrow(addr(2), 75n), 'staking', 10);
  });

  it('is forbidden to others when delegation is disabled, allowed to self', () => {
    const chain = new TestChain(
      makeGenesis([[1, 100n]], { params: testParams({ disableDelegation: true }) }),
    );
    expectFailure(chain, 1, StakingMethods.addEscrow, escrow(addr(2), 10n), 'staking', 5);
    assert.equal(chain.run(1, StakingMethods.addEscrow, escrow(addr(1), 10n)).error, undefined);
  });

  it('delegating to a reserved address is only refused by the shares it could never reclaim', () => {
    const chain = new TestChain(makeGenesis([[1, 100n]]));
    // oasis-core only checks the caller for reservation; the escrow target may be any address.
    assert.equal(
      chain.run(1, StakingMethods.addEscrow, escrow(ReservedAddresses.commonPool, 10n)).error,
      undefined,
    );
  });
});

describe('staking.ReclaimEscrow and debonding', () => {
  it('moves stake to debonding and releases it at the end epoch', () => {
    // epochs of 10 blocks, debonding interval 2 epochs
    const chain = new TestChain(
      makeGenesis([
        [1, 1000n],
        [2, 1000n],
      ]),
      { epochInterval: 10 },
    );
    chain.run(1, StakingMethods.addEscrow, escrow(addr(1), 300n));
    chain.run(2, StakingMethods.addEscrow, escrow(addr(1), 100n));
    const res = chain.run(2, StakingMethods.reclaimEscrow, reclaim(addr(1), 60n)); // height 3 → epoch 0
    assert.equal(res.error, undefined);
    const st = chain.staking;
    assert.deepEqual(st.account(addr(1)).escrow.active, { balance: 340n, totalShares: 340n });
    assert.deepEqual(st.account(addr(1)).escrow.debonding, { balance: 60n, totalShares: 60n });
    assert.deepEqual(st.debondingDelegation(addr(2), addr(1), 2n), { shares: 60n, debondEndTime: 2n });
    const ev = res.events.find((e) => e.kind === 'debonding_start')!.value as Record<string, unknown>;
    assert.equal(ev.debond_end_time, 2n);

    chain.advanceTo(20); // heights up to 19: epoch 1
    assert.equal(chain.staking.account(addr(2)).general.balance, 900n);
    const { events } = chain.block([]); // height 20: epoch 2 starts → release
    assert.ok(events.some((e) => e.kind === 'reclaim_escrow'));
    assert.equal(chain.staking.account(addr(2)).general.balance, 960n);
    assert.deepEqual(chain.staking.account(addr(1)).escrow.debonding, { balance: 0n, totalShares: 0n });
    assert.equal(chain.staking.debondingDelegation(addr(2), addr(1), 2n), undefined);
  });

  it('merges reclaims with the same end epoch', () => {
    const chain = new TestChain(makeGenesis([[1, 1000n]]));
    chain.run(1, StakingMethods.addEscrow, escrow(addr(1), 300n));
    chain.run(1, StakingMethods.reclaimEscrow, reclaim(addr(1), 10n));
    chain.run(1, StakingMethods.reclaimEscrow, reclaim(addr(1), 15n));
    assert.deepEqual(chain.staking.debondingDelegation(addr(1), addr(1), 2n), {
      shares: 25n,
      debondEndTime: 2n,
    });
  });

  it('fails for zero shares (1), more shares than held (unknown/1), disabled delegation (5)', () => {
    const chain = new TestChain(
      makeGenesis([
        [1, 1000n],
        [2, 1000n],
      ]),
    );
    chain.run(2, StakingMethods.addEscrow, escrow(addr(1), 50n));
    const res = chain.deliverOnly(
      chain.sign(2, StakingMethods.reclaimEscrow, reclaim(addr(1), 0n), { fee: FEE }),
    );
    assert.deepEqual([res.error?.module, res.error?.code], ['staking', 1]);
    expectFailure(chain, 2, StakingMethods.reclaimEscrow, reclaim(addr(1), 51n), 'unknown', 1);
    const off = new TestChain(makeGenesis([[1, 1000n]], { params: testParams({ disableDelegation: true }) }));
    expectFailure(off, 1, StakingMethods.reclaimEscrow, reclaim(addr(2), 5n), 'staking', 5);
  });
});
