import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ReservedAddresses } from '../../../../src/crypto/address.ts';
import { hexOf } from '../../../../src/services/staking/api/address.ts';
import { BodyEncoders, StakingMethods } from '../../../../src/services/staking/api/methods.ts';
import { addr, makeGenesis, TestChain, testParams } from '../fixture.ts';
import { expectFailure, FEE } from './helpers.ts';

const xfer = (to: Uint8Array, amount: bigint) => BodyEncoders.transfer({ to, amount });

/** Runs a tx that must fail with (module, code) and checks only fee and nonce changed. */

describe('staking.Transfer', () => {
  it('moves the amount, takes the fee, bumps the nonce and emits events', () => {
    const chain = new TestChain(
      makeGenesis([
        [1, 1000n],
        [2, 50n],
      ]),
    );
    const res = chain.deliverOnly(chain.sign(1, StakingMethods.transfer, xfer(addr(2), 300n), { fee: FEE }));
    assert.equal(res.error, undefined);
    const st = chain.staking;
    assert.equal(st.account(addr(1)).general.balance, 1000n - 300n - 7n);
    assert.equal(st.account(addr(1)).general.nonce, 1n);
    assert.equal(st.account(addr(2)).general.balance, 350n);
    assert.deepEqual(
      res.events.map((e) => `${e.module}/${e.kind}`),
      ['staking/transfer', 'staking/transfer'],
    );
    const feeEvent = res.events[0]!.value as { to: Uint8Array };
    assert.equal(hexOf(feeEvent.to), hexOf(ReservedAddresses.feeAccumulator));
    assert.ok(res.gasUsed > 1000n, 'tx_byte + transfer gas');
  });

  it('self-transfer is only a balance check', () => {
    const chain = new TestChain(makeGenesis([[1, 100n]]));
    assert.equal(
      chain.deliverOnly(chain.sign(1, StakingMethods.transfer, xfer(addr(1), 90n))).error,
      undefined,
    );
    assert.equal(chain.staking.account(addr(1)).general.balance, 100n);
    expectFailure(chain, 1, StakingMethods.transfer, xfer(addr(1), 95n), 'staking', 3);
  });

  it('a transfer to the burn address burns', () => {
    const chain = new TestChain(makeGenesis([[1, 100n]]));
    const res = chain.deliverOnly(chain.sign(1, StakingMethods.transfer, xfer(ReservedAddresses.burn, 40n)));
    assert.equal(res.error, undefined);
    assert.equal(chain.staking.totalSupply(), 60n);
    assert.deepEqual(
      res.events.map((e) => e.kind),
      ['burn', 'transfer'],
    );
  });

  it('refuses amounts under min_transfer (staking/9)', () => {
    const chain = new TestChain(makeGenesis([[1, 100n]], { params: testParams({ minTransfer: 10n }) }));
    expectFailure(chain, 1, StakingMethods.transfer, xfer(addr(2), 9n), 'staking', 9);
  });

  it('fails beyond the balance with the uncoded quantity error', () => {
    const chain = new TestChain(makeGenesis([[1, 100n]]));
    expectFailure(chain, 1, StakingMethods.transfer, xfer(addr(2), 94n), 'unknown', 1);
  });

  it('keeps both sides at min_transact_balance (staking/10)', () => {
    const chain = new TestChain(
      makeGenesis(
        [
          [1, 200n],
          [2, 0n],
        ],
        { params: testParams({ minTransactBalance: 50n }) },
      ),
    );
    expectFailure(chain, 1, StakingMethods.transfer, xfer(addr(2), 20n), 'staking', 10); // dest below
    expectFailure(chain, 1, StakingMethods.transfer, xfer(addr(2), 140n), 'staking', 10); // source below
  });

  it('is forbidden when transfers are disabled unless whitelisted (staking/5)', () => {
    const params = testParams({ disableTransfers: true, undisableTransfersFrom: new Set([hexOf(addr(3))]) });
    const chain = new TestChain(
      makeGenesis(
        [
          [1, 100n],
          [3, 100n],
        ],
        { params },
      ),
    );
    expectFailure(chain, 1, StakingMethods.transfer, xfer(addr(2), 5n), 'staking', 5);
    assert.equal(
      chain.deliverOnly(chain.sign(3, StakingMethods.transfer, xfer(addr(2), 5n))).error,
      undefined,
    );
  });

  it('rejects a malformed body with staking/1', () => {
    const chain = new TestChain(makeGenesis([[1, 100n]]));
    expectFailure(chain, 1, StakingMethods.transfer, { to: addr(2), amount: 5n }, 'staking', 1);
    expectFailure(chain, 1, StakingMethods.transfer, { to: addr(2), extra: 1 }, 'staking', 1);
  });
});

describe('staking.Burn', () => {
  it('burns from the general balance and lowers the total supply', () => {
    const chain = new TestChain(makeGenesis([[1, 100n]]));
    const res = chain.deliverOnly(chain.sign(1, StakingMethods.burn, BodyEncoders.burn({ amount: 30n })));
    assert.equal(res.error, undefined);
    assert.equal(chain.staking.account(addr(1)).general.balance, 70n);
    assert.equal(chain.staking.totalSupply(), 70n);
  });

  it('fails under min_transfer, beyond the balance and below min_transact_balance', () => {
    const chain = new TestChain(
      makeGenesis([[1, 100n]], { params: testParams({ minTransfer: 5n, minTransactBalance: 20n }) }),
    );
    expectFailure(chain, 1, StakingMethods.burn, BodyEncoders.burn({ amount: 4n }), 'staking', 9);
    expectFailure(chain, 1, StakingMethods.burn, BodyEncoders.burn({ amount: 200n }), 'unknown', 1);
    expectFailure(chain, 1, StakingMethods.burn, BodyEncoders.burn({ amount: 70n }), 'staking', 10);
  });
});
