import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeCanonical, encodeCanonical } from '../../../src/codec/cbor.ts';
import { hexOf } from '../../../src/services/staking/api/address.ts';
import { stakingGenesisCodec } from '../../../src/services/staking/api/genesis.ts';
import { StakingQueries } from '../../../src/services/staking/api/queries.ts';
import { loadStakingGenesis, validateStakingGenesis } from '../../../src/services/staking/genesis.ts';
import { memoryState } from '../../../src/state/overlay.ts';
import { addr, funded, makeGenesis, testParams } from './fixture.ts';

function withDelegation() {
  const g = makeGenesis(
    [
      [1, 500n],
      [2, 300n],
    ],
    { commonPool: 1000n },
  );
  const escrowAcct = funded(500n);
  escrowAcct.escrow.active = { balance: 200n, totalShares: 100n };
  escrowAcct.escrow.debonding = { balance: 50n, totalShares: 50n };
  g.ledger.set(hexOf(addr(1)), escrowAcct);
  g.totalSupply += 250n;
  g.delegations.set(hexOf(addr(1)), new Map([[hexOf(addr(2)), { shares: 100n }]]));
  g.debondingDelegations.set(
    hexOf(addr(1)),
    new Map([[hexOf(addr(2)), [{ shares: 50n, debondEndTime: 4n }]]]),
  );
  return g;
}

describe('staking genesis', () => {
  it('round-trips through CBOR, loads, and answers queries', () => {
    const g = withDelegation();
    const decoded = stakingGenesisCodec.decode(
      decodeCanonical(encodeCanonical(stakingGenesisCodec.encode(g))),
      'staking',
    );
    assert.deepEqual(decoded, g);
    const state = memoryState();
    loadStakingGenesis(state, decoded, 0n);
    assert.equal(StakingQueries.tokenSymbol(state), 'TEST');
    assert.equal(StakingQueries.tokenValueExponent(state), 9);
    assert.deepEqual(StakingQueries.commonPool(state), Uint8Array.of(0x03, 0xe8));
    assert.equal(StakingQueries.addresses(state).length, 2);
    const to = [...StakingQueries.delegationsTo(state, addr(1))];
    assert.deepEqual(to, [[addr(2), { shares: Uint8Array.of(100) }]]);
    assert.equal(StakingQueries.delegationsFor(state, addr(2)).size, 1);
    const deb = [...StakingQueries.debondingDelegationsFor(state, addr(2)).values()][0]!;
    assert.deepEqual(deb, [{ shares: Uint8Array.of(50), debond_end: 4n }]);
    assert.equal(StakingQueries.debondingDelegationsTo(state, addr(1)).size, 1);
    const infos = [...StakingQueries.debondingDelegationInfosFor(state, addr(2)).values()][0]!;
    assert.deepEqual(infos, [
      {
        shares: Uint8Array.of(50),
        debond_end: 4n,
        pool: { balance: Uint8Array.of(50), total_shares: Uint8Array.of(50) },
      },
    ]);
    const dinfo = [...StakingQueries.delegationInfosFor(state, addr(2)).values()][0]!;
    assert.deepEqual(dinfo, {
      shares: Uint8Array.of(100),
      pool: { balance: Uint8Array.of(200), total_shares: Uint8Array.of(100) },
    });
    assert.deepEqual(StakingQueries.threshold(state, 0), Uint8Array.of(100));
    assert.deepEqual(StakingQueries.allowance(state, addr(1), addr(2)), new Uint8Array(0));
    // StateToGenesis gives back the same section.
    assert.deepEqual(stakingGenesisCodec.decode(StakingQueries.stateToGenesis(state) as never, 's'), g);
  });

  it('rejects a supply that does not add up', () => {
    const g = withDelegation();
    g.totalSupply += 1n;
    assert.throws(() => validateStakingGenesis(g, 0n), /total supply/);
  });

  it('rejects share pools that disagree with delegations', () => {
    const g = withDelegation();
    g.delegations.get(hexOf(addr(1)))!.set(hexOf(addr(2)), { shares: 99n });
    assert.throws(() => validateStakingGenesis(g, 0n), /active shares/);
  });

  it('rejects bad token symbols, missing thresholds and unknown fields', () => {
    const g = makeGenesis([[1, 1n]]);
    assert.throws(() => validateStakingGenesis({ ...g, tokenSymbol: 'lower' }, 0n), /token symbol/);
    const p = testParams();
    p.thresholds.delete(1);
    assert.throws(() => validateStakingGenesis({ ...g, params: p }, 0n), /threshold/);
    const cbor = stakingGenesisCodec.encode(g);
    assert.throws(
      () => stakingGenesisCodec.decode({ ...(cbor as object), surprise: 1 } as never, 'staking'),
      /unknown field/,
    );
  });
});
