import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Misbehavior } from '../../../src/consensus/api/application.ts';
import { hexOf } from '../../../src/services/staking/api/address.ts';
import { BodyEncoders, StakingMethods } from '../../../src/services/staking/api/methods.ts';
import { addr, key, makeGenesis, RegistryTable, TestChain, testParams } from './fixture.ts';

const evidence = (i: number): Misbehavior => ({
  kind: 'duplicate-vote',
  publicKey: key(i).publicKey,
  height: 1,
  time: 0,
  totalVotingPower: 10n,
});

describe('slashing', () => {
  it('splits the slash over active and debonding pools proportionally and freezes the node', () => {
    const params = testParams({ slashing: new Map([[0, { amount: 99n, freezeInterval: 5n }]]) });
    const registry = new RegistryTable().add(10, 1);
    const chain = new TestChain(
      makeGenesis(
        [
          [1, 2000n],
          [2, 2000n],
        ],
        { params },
      ),
      { registry, epochInterval: 10 },
    );
    chain.run(1, StakingMethods.addEscrow, BodyEncoders.escrow({ account: addr(1), amount: 500n }));
    chain.run(2, StakingMethods.addEscrow, BodyEncoders.escrow({ account: addr(1), amount: 500n }));
    chain.run(
      2,
      StakingMethods.reclaimEscrow,
      BodyEncoders.reclaimEscrow({ account: addr(1), shares: 300n }),
    );
    const pool = chain.staking.commonPool();
    const { events } = chain.block([], { misbehavior: [evidence(10), evidence(77)] });
    // active 700, debonding 300: floor(99 × 700/1000) = 69 and floor(99 × 300/1000) = 29.
    const a = chain.staking.account(addr(1));
    assert.deepEqual(a.escrow.active, { balance: 631n, totalShares: 700n });
    assert.deepEqual(a.escrow.debonding, { balance: 271n, totalShares: 300n });
    assert.equal(chain.staking.commonPool(), pool + 98n);
    const take = events.filter((e) => e.kind === 'take_escrow');
    assert.equal(take.length, 1);
    assert.deepEqual(take[0]!.value, {
      owner: addr(1),
      amount: Uint8Array.of(98),
      debonding_amount: Uint8Array.of(29),
    });
    assert.equal(registry.frozen.get(hexOf(key(210).publicKey)), 5n);
    // The frozen node is not slashed twice.
    chain.block([], { misbehavior: [evidence(10)] });
    assert.equal(chain.staking.account(addr(1)).escrow.active.balance, 631n);
    // Delegators lose pro rata: 2's remaining 200 active shares are now worth floor(200 × 631/700) = 180.
    chain.run(
      2,
      StakingMethods.reclaimEscrow,
      BodyEncoders.reclaimEscrow({ account: addr(1), shares: 200n }),
    );
    assert.equal(chain.staking.account(addr(1)).escrow.active.balance, 631n - 180n);
  });

  it('slashes a light-client attack under its own reason (0x04), not the equivocation one', () => {
    // Only the light-client-attack penalty is configured: duplicate votes take nothing here.
    const params = testParams({ slashing: new Map([[0x04, { amount: 50n, freezeInterval: 0n }]]) });
    const registry = new RegistryTable().add(10, 1);
    const chain = new TestChain(makeGenesis([[1, 2000n]], { params }), { registry, epochInterval: 10 });
    chain.run(1, StakingMethods.addEscrow, BodyEncoders.escrow({ account: addr(1), amount: 500n }));
    chain.block([], { misbehavior: [evidence(10)] });
    assert.equal(chain.staking.account(addr(1)).escrow.active.balance, 500n);
    chain.block([], { misbehavior: [{ ...evidence(10), kind: 'light-client-attack' }] });
    assert.equal(chain.staking.account(addr(1)).escrow.active.balance, 450n);
  });
});
