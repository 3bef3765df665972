/**
 * The official client as an oracle for the whole pipeline: staking transactions built and signed by
 * `@oasisprotocol/client` execute successfully through our mux, and what our queries answer decodes in
 * the client to the expected values.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as oasis from '@oasisprotocol/client';
import { encodeCanonical } from '../../../src/codec/cbor.ts';
import { StakingQueries } from '../../../src/services/staking/api/queries.ts';
import { addr, CHAIN_CONTEXT, makeGenesis, TestChain } from './fixture.ts';

const seedOf = (i: number) => {
  const seed = new Uint8Array(32);
  seed[0] = 0x5e;
  seed[31] = i;
  return seed;
};

async function clientTx(
  signer: number,
  nonce: bigint,
  wrapper: {
    setNonce(n: bigint): unknown;
    setFeeAmount(q: Uint8Array): unknown;
    setFeeGas(g: bigint): unknown;
    sign(s: unknown, c: string): Promise<void>;
    signedTransaction: unknown;
  },
  body: unknown,
): Promise<Uint8Array> {
  wrapper.setNonce(nonce);
  wrapper.setFeeAmount(oasis.quantity.fromBigInt(11n));
  wrapper.setFeeGas(10_000n);
  (wrapper as unknown as { setBody(b: unknown): void }).setBody(body);
  const signer_ = new oasis.signature.BlindContextSigner(
    oasis.signature.NaclSigner.fromSeed(seedOf(signer), 'this key is not important'),
  );
  await wrapper.sign(signer_, CHAIN_CONTEXT);
  return oasis.misc.toCBOR(wrapper.signedTransaction);
}

describe('client-signed staking transactions through the mux', () => {
  it('Transfer, AddEscrow, ReclaimEscrow, Allow, Withdraw, Burn all succeed', async () => {
    const chain = new TestChain(
      makeGenesis([
        [1, 10_000n],
        [2, 10_000n],
      ]),
    );
    const q = oasis.quantity.fromBigInt;
    const txs = [
      await clientTx(1, 0n, oasis.staking.transferWrapper(), { to: addr(2), amount: q(100n) }),
      await clientTx(1, 1n, oasis.staking.addEscrowWrapper(), { account: addr(1), amount: q(500n) }),
      await clientTx(1, 2n, oasis.staking.reclaimEscrowWrapper(), { account: addr(1), shares: q(200n) }),
      await clientTx(1, 3n, oasis.staking.allowWrapper(), { beneficiary: addr(2), amount_change: q(300n) }),
      await clientTx(2, 0n, oasis.staking.withdrawWrapper(), { from: addr(1), amount: q(250n) }),
      await clientTx(2, 1n, oasis.staking.burnWrapper(), { amount: q(5n) }),
    ];
    const { results } = chain.block(txs);
    assert.deepEqual(
      results.map((r) => r.error),
      txs.map(() => undefined),
    );
    const st = chain.staking;
    assert.equal(st.account(addr(1)).general.balance, 10_000n - 100n - 500n - 250n - 4n * 11n);
    assert.equal(st.account(addr(2)).general.balance, 10_000n + 100n + 250n - 5n - 2n * 11n);

    // Our Account answer decodes in the client the way it reads it.
    const acct = oasis.misc.fromCBOR(encodeCanonical(StakingQueries.account(chain.state, addr(1)))) as {
      general?: { balance?: Uint8Array; nonce?: number | bigint; allowances?: Map<Uint8Array, Uint8Array> };
      escrow?: { active?: { balance?: Uint8Array }; debonding?: { balance?: Uint8Array } };
    };
    assert.equal(oasis.quantity.toBigInt(acct.general!.balance!), st.account(addr(1)).general.balance);
    assert.equal(BigInt(acct.general!.nonce!), 4n);
    assert.equal(oasis.quantity.toBigInt(acct.escrow!.active!.balance!), 300n);
    assert.equal(oasis.quantity.toBigInt(acct.escrow!.debonding!.balance!), 200n);
  });
});
