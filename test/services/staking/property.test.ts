/**
 * Property tests over long random transaction sequences (seeded PRNG, thousands of transactions): the
 * mux's per-block sanity check asserts supply conservation and share-pool consistency after every block;
 * here we also check that failures only carry expected codes, balances stay non-negative, and that no
 * delegate/reclaim round trip can gain.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { VoteInfo } from '../../../src/consensus/api/application.ts';
import { ReservedAddresses } from '../../../src/crypto/address.ts';
import { BodyEncoders, StakingMethods } from '../../../src/services/staking/api/methods.ts';
import { supplyBreakdown } from '../../../src/services/staking/sanity.ts';
import { depositToPool, withdrawFromPool } from '../../../src/services/staking/share_pool.ts';
import { addr, key, makeGenesis, RegistryTable, TestChain, testParams } from './fixture.ts';

/** mulberry32: small deterministic PRNG. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n: number) => Math.floor(next() * n),
    big: (n: number) => BigInt(Math.floor(next() * n)),
  };
}

const ACCOUNTS = 8;
const ALLOWED = new Set([
  'consensus/transaction:1',
  'staking:1',
  'staking:3',
  'staking:5',
  'staking:7',
  'staking:8',
  'staking:9',
  'staking:10',
  'staking:11',
  'unknown:1',
]);

describe('random transaction sequences', () => {
  it('conserve supply and keep share pools consistent over 6000 transactions', () => {
    const r = prng(0xc0ffee);
    const registry = new RegistryTable();
    for (let i = 0; i < ACCOUNTS; i++) registry.add(100 + i, i);
    const params = testParams({
      minDelegation: 5n,
      minTransfer: 1n,
      minTransactBalance: 3n,
      maxAllowances: 3,
      debondingInterval: 1n,
      rewardSchedule: [{ until: 1000n, scale: 1000n }],
      rewardFactorEpochSigned: 50n,
      rewardFactorBlockProposed: 20n,
      signingRewardThresholdNumerator: 1n,
      signingRewardThresholdDenominator: 2n,
      slashing: new Map([[0, { amount: 37n, freezeInterval: 1n }]]),
    });
    const balances: Array<[number, bigint]> = [];
    for (let i = 0; i < ACCOUNTS; i++) balances.push([i, 100_000n + BigInt(i) * 977n]);
    const chain = new TestChain(makeGenesis(balances, { params, commonPool: 10_000_000n }), {
      registry,
      epochInterval: 5,
    });
    const initialSupply = chain.staking.totalSupply();
    const kinds = new Map<string, number>();
    let txs = 0;
    const failures = new Map<string, number>();

    for (let b = 0; b < 300; b++) {
      const nonces = new Map<number, bigint>();
      const raws: Uint8Array[] = [];
      for (let t = 0; t < 20; t++) {
        const s = r.int(ACCOUNTS);
        const other = r.int(ACCOUNTS + 1); // ACCOUNTS = the burn address
        const to = other === ACCOUNTS ? ReservedAddresses.burn : addr(other);
        const amount = r.big(3000);
        const nonce = nonces.get(s) ?? chain.staking.account(addr(s)).general.nonce;
        const wrongNonce = r.next() < 0.03;
        if (!wrongNonce) nonces.set(s, nonce + 1n);
        const fee = { amount: r.big(20), gas: 5_000n };
        const op = r.int(7);
        const [method, body] = (
          [
            [StakingMethods.transfer, BodyEncoders.transfer({ to, amount })],
            [StakingMethods.burn, BodyEncoders.burn({ amount: amount / 10n })],
            [StakingMethods.addEscrow, BodyEncoders.escrow({ account: addr(r.int(ACCOUNTS)), amount })],
            [
              StakingMethods.reclaimEscrow,
              BodyEncoders.reclaimEscrow({ account: addr(r.int(ACCOUNTS)), shares: r.big(2000) + 1n }),
            ],
            [
              StakingMethods.allow,
              BodyEncoders.allow({
                beneficiary: addr(r.int(ACCOUNTS)),
                amountChange: amount,
                negative: r.next() < 0.3,
              }),
            ],
            [
              StakingMethods.withdraw,
              BodyEncoders.withdraw({ from: addr(r.int(ACCOUNTS)), amount: amount / 5n }),
            ],
            [StakingMethods.transfer, BodyEncoders.transfer({ to: addr(other % ACCOUNTS), amount })],
          ] as const
        )[op]!;
        raws.push(chain.sign(s, method, body, { nonce: wrongNonce ? nonce + 7n : nonce, fee }));
      }
      const lastCommit: VoteInfo[] = [];
      for (let i = 0; i < ACCOUNTS; i++)
        lastCommit.push({ publicKey: key(100 + i).publicKey, power: 1n, signed: r.next() < 0.8 });
      const misbehavior =
        r.next() < 0.02
          ? [
              {
                kind: 'duplicate-vote' as const,
                publicKey: key(100 + r.int(ACCOUNTS)).publicKey,
                height: 1,
                time: 0,
                totalVotingPower: 8n,
              },
            ]
          : [];
      const { results, events } = chain.block(raws, {
        proposer: 100 + r.int(ACCOUNTS),
        lastCommit,
        misbehavior,
      });
      txs += results.length;
      for (const res of results) {
        if (res.error === undefined) continue;
        const code = `${res.error.module}:${res.error.code}`;
        assert.ok(ALLOWED.has(code), `unexpected failure ${code}: ${res.error.message}`);
        assert.doesNotMatch(res.error.message, /negative|RangeError/);
        failures.set(code, (failures.get(code) ?? 0) + 1);
      }
      for (const e of [...events, ...results.flatMap((x) => x.events)])
        kinds.set(e.kind, (kinds.get(e.kind) ?? 0) + 1);
    }
    const s = supplyBreakdown(chain.staking);
    assert.equal(
      s.general + s.active + s.debonding + s.commonPool + s.lastBlockFees + s.governanceDeposits,
      s.totalSupply,
    );
    assert.ok(s.totalSupply <= initialSupply, 'supply only shrinks (burns)');
    assert.ok(txs >= 6000);
    assert.ok((failures.get('consensus/transaction:1') ?? 0) > 0, 'wrong nonces were exercised');
    assert.ok(s.active > 0n && s.debonding >= 0n, 'escrow was exercised');
    for (const kind of [
      'transfer',
      'burn',
      'add_escrow',
      'debonding_start',
      'reclaim_escrow',
      'allowance_change',
    ]) {
      assert.ok((kinds.get(kind) ?? 0) > 10, `${kind} events were exercised`);
    }
  });

  it('a delegate → reclaim round trip never returns more than deposited', () => {
    const r = prng(7);
    for (let i = 0; i < 20_000; i++) {
      const shares = r.big(1_000_000) + 1n;
      const pool = { balance: shares + r.big(5_000_000), totalShares: shares };
      const amount = r.big(10_000_000) + 1n;
      const minted = depositToPool(pool, amount);
      const back = withdrawFromPool(pool, minted);
      assert.ok(back <= amount, `deposit ${amount} returned ${back}`);
      assert.ok(pool.balance >= 0n && pool.totalShares >= 0n);
    }
  });

  it('end to end: delegating and reclaiming everything returns at most the amount (no rewards)', () => {
    const chain = new TestChain(
      makeGenesis(
        [
          [1, 1_000_000n],
          [2, 1_000_000n],
        ],
        { params: testParams({ debondingInterval: 1n }) },
      ),
      {
        epochInterval: 2,
      },
    );
    const r = prng(99);
    for (let i = 0; i < 40; i++) {
      const before = chain.staking.account(addr(2)).general.balance;
      const amount = r.big(50_000) + 10n;
      chain.run(2, StakingMethods.addEscrow, BodyEncoders.escrow({ account: addr(1), amount }));
      const shares = chain.staking.delegation(addr(2), addr(1)).shares;
      chain.run(2, StakingMethods.reclaimEscrow, BodyEncoders.reclaimEscrow({ account: addr(1), shares }));
      chain.advanceTo(chain.height + 4);
      assert.ok(chain.staking.account(addr(2)).general.balance <= before);
      if (i % 3 === 0)
        chain.run(
          1,
          StakingMethods.addEscrow,
          BodyEncoders.escrow({ account: addr(1), amount: r.big(1000) + 10n }),
        );
    }
  });
});
