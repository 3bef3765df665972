/**
 * Consensus bridging of the EVM ParaTime: amounts are wei here (18 decimals) and base units on the
 * consensus layer (9), scaled by 10^9 as runtime-sdk's consensus module does for Emerald and Sapphire —
 * a deposit credits tokens × 10^9, a withdrawal emits amount / 10^9, and an amount that does not divide
 * exactly is refused with consensus/5 and moves nothing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as oasis from '@oasisprotocol/client';
import * as oasisRT from '@oasisprotocol/client-rt';
import { encodeCanonical } from '../../../../../src/codec/cbor.ts';
import { quantityToBytes } from '../../../../../src/codec/quantity.ts';
import { addressFromPublicKey } from '../../../../../src/crypto/address.ts';
import {
  Methods,
  NATIVE_DENOMINATION,
} from '../../../../../src/runtime/process/paratimes/accounts/params.ts';
import { getBalance } from '../../../../../src/runtime/process/paratimes/accounts/state.ts';
import type { IncomingMessage } from '../../../../../src/runtime/protocol/types.ts';
import { signSdkTx } from '../sdk_tx.ts';
import { alice, CHAIN, ETHER, GWEI, oasisOf, RUNTIME_ID, result, setup } from './helpers.ts';

const signer = oasis.signature.NaclSigner.fromSeed(new Uint8Array(32).fill(7), 'this key is not important');
const user = addressFromPublicKey(signer.public());
const consensusAccounts = new oasisRT.consensusAccounts.Wrapper(RUNTIME_ID);
const withdrawTx = (amount: bigint, nonce: bigint, to?: Uint8Array) =>
  signSdkTx(
    consensusAccounts.callWithdraw() as never,
    {
      ...(to !== undefined ? { to } : {}),
      amount: [oasis.quantity.fromBigInt(amount), oasisRT.token.NATIVE_DENOMINATION],
    },
    { signer, nonce, fee: 0n, messages: 1, chain: CHAIN },
  );

describe('EVM ParaTime consensus bridging (10^9 scaling)', () => {
  const funded = () => setup({ balances: [[user, 10n * ETHER]] });

  it('reports 18 decimals for the native denomination', async () => {
    const { root, query } = funded();
    assert.deepEqual(await query(root, Methods.denominationInfo, { denomination: NATIVE_DENOMINATION }), {
      decimals: 18,
    });
  });

  it('credits a deposit of n base units as n × 10^9 wei, to an Ethereum account the data names', async () => {
    const { root, run, store } = funded();
    const msg = (id: bigint, tokens: bigint, data: Uint8Array): IncomingMessage => ({
      id,
      caller: user,
      tag: 0n,
      fee: 0n,
      tokens,
      data,
    });
    const toAlice = encodeCanonical({
      method: Methods.deposit,
      body: { to: oasisOf(alice.address), amount: [quantityToBytes(7n * GWEI), NATIVE_DENOMINATION] },
    });
    const mismatched = encodeCanonical({
      method: Methods.deposit,
      body: { to: oasisOf(alice.address), amount: [quantityToBytes(3n), NATIVE_DENOMINATION] },
    });
    const before = getBalance(store.reader(root), oasisOf(alice.address), NATIVE_DENOMINATION);
    const out = await run(root, [], { in_msgs: [msg(0n, 7n, toAlice), msg(1n, 3n, mismatched)] });
    const after = store.reader(out.header.state_root);
    assert.equal(getBalance(after, oasisOf(alice.address), NATIVE_DENOMINATION), before + 7n * GWEI);
    assert.equal(
      getBalance(after, user, NATIVE_DENOMINATION),
      10n * ETHER + 3n * GWEI,
      'an amount stated in base units, not wei, disagrees: the caller is credited',
    );
  });

  it('withdraws wei as base units: 2.5 TEST leaves as 2,500,000,000 base units', async () => {
    const { root, run, store } = funded();
    const out = await run(root, [await withdrawTx(2_500_000_000n * GWEI, 0n)]);
    assert.deepEqual(result(out.results[0]!), { ok: null });
    assert.deepEqual(out.messages, [
      { staking: { v: 0, transfer: { to: user, amount: quantityToBytes(2_500_000_000n) } } },
    ]);
    assert.equal(
      getBalance(store.reader(out.header.state_root), user, NATIVE_DENOMINATION),
      10n * ETHER - 2_500_000_000n * GWEI,
    );
  });

  it('refuses an amount that is not a whole number of base units with consensus/5, moving nothing', async () => {
    const { root, run, store } = funded();
    const out = await run(root, [await withdrawTx(GWEI + 1n, 0n)]);
    const fail = result(out.results[0]!).fail;
    assert.deepEqual({ module: fail?.module, code: fail?.code }, { module: 'consensus', code: 5 });
    assert.match(fail!.message, /amount not representable/);
    assert.deepEqual(out.messages, []);
    assert.equal(getBalance(store.reader(out.header.state_root), user, NATIVE_DENOMINATION), 10n * ETHER);
  });
});
