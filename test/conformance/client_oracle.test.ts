/**
 * The official client (@oasisprotocol/client 1.3.0) as an independent oracle: for many seeded random keys,
 * bodies and chain contexts, what it computes or signs must equal what we compute, open with our opener,
 * and what we sign must open in it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as oasis from '@oasisprotocol/client';
import { toHex } from '../../src/codec/bytes.ts';
import { decodeCanonical } from '../../src/codec/cbor.ts';
import { quantityFromBytes, quantityToBytes } from '../../src/codec/quantity.ts';
import {
  encodeSignedTransaction,
  openSignedTransaction,
  signTransaction,
  type Transaction,
  transactionHashHex,
} from '../../src/consensus/api/transaction.ts';
import {
  addressFromBech32,
  addressFromPublicKey,
  addressFromRuntimeId,
  addressToBech32,
  ReservedAddresses,
} from '../../src/crypto/address.ts';
import { Ed25519KeyPair } from '../../src/crypto/ed25519.ts';
import { Prng } from '../codec/fuzz_helpers.ts';

const NOTE = 'this key is not important';

/** The client's signer for a seed, wrapped as the client's transaction wrappers expect. */
function clientSigner(seed: Uint8Array) {
  return new oasis.signature.BlindContextSigner(oasis.signature.NaclSigner.fromSeed(seed, NOTE));
}

function randomChainContext(rng: Prng): string {
  return rng.chance(0.5) ? toHex(rng.bytes(32)) : `chain-${rng.int(1000)}`;
}

describe('addresses agree with the official client', () => {
  it('for 300 random public keys (hex and bech32, both directions)', () => {
    const rng = new Prng(21);
    for (let i = 0; i < 300; i++) {
      const pk = Ed25519KeyPair.fromSeed(rng.bytes(32)).publicKey;
      const ours = addressFromPublicKey(pk);
      const theirs = oasis.staking.addressFromPublicKey(pk);
      assert.equal(toHex(ours), toHex(theirs));
      const bech = oasis.staking.addressToBech32(theirs);
      assert.equal(addressToBech32(ours), bech);
      assert.equal(toHex(addressFromBech32(bech)), toHex(oasis.staking.addressFromBech32(bech)));
    }
  });

  it('for 100 random runtime IDs', () => {
    const rng = new Prng(22);
    for (let i = 0; i < 100; i++) {
      const id = rng.bytes(32);
      assert.equal(
        addressToBech32(addressFromRuntimeId(id)),
        oasis.staking.addressToBech32(oasis.staking.addressFromRuntimeID(id)),
      );
    }
  });

  it('for the reserved addresses', () => {
    assert.equal(toHex(ReservedAddresses.commonPool), toHex(oasis.staking.commonPoolAddress()));
    assert.equal(toHex(ReservedAddresses.feeAccumulator), toHex(oasis.staking.feeAccumulatorAddress()));
    assert.equal(
      toHex(ReservedAddresses.governanceDeposits),
      toHex(oasis.staking.governanceDepositsAddress()),
    );
  });
});

/** A random staking method body built for the client, with how our decoded body must look. */
function randomStakingCall(rng: Prng) {
  const other = oasis.staking.addressFromPublicKey(Ed25519KeyPair.fromSeed(rng.bytes(32)).publicKey);
  const q = () => oasis.quantity.fromBigInt(BigInt(rng.u32()) * BigInt(rng.u32()));
  const kind = rng.int(6);
  switch (kind) {
    case 0:
      return { wrapper: oasis.staking.transferWrapper(), body: { to: other, amount: q() } };
    case 1:
      return { wrapper: oasis.staking.burnWrapper(), body: { amount: q() } };
    case 2:
      return { wrapper: oasis.staking.addEscrowWrapper(), body: { account: other, amount: q() } };
    case 3:
      return { wrapper: oasis.staking.reclaimEscrowWrapper(), body: { account: other, shares: q() } };
    case 4: {
      const body: { beneficiary: Uint8Array; amount_change: Uint8Array; negative?: boolean } = {
        beneficiary: other,
        amount_change: q(),
      };
      if (rng.chance(0.5)) body.negative = true;
      return { wrapper: oasis.staking.allowWrapper(), body };
    }
    default:
      return { wrapper: oasis.staking.withdrawWrapper(), body: { from: other, amount: q() } };
  }
}

describe('transactions cross-open between the official client and our code', () => {
  it('staking txs signed by the client (Transfer, Burn, AddEscrow, ReclaimEscrow, Allow, Withdraw) open with ours', async () => {
    const rng = new Prng(23);
    const methods = new Set<string>();
    for (let i = 0; i < 72; i++) {
      const seed = rng.bytes(32);
      const chainContext = randomChainContext(rng);
      const { wrapper, body } = randomStakingCall(rng);
      const nonce = rng.chance(0.1) ? (1n << 64n) - 1n : BigInt(rng.u32());
      const feeAmount = BigInt(rng.u32());
      const gas = BigInt(rng.int(1 << 20));
      wrapper.setNonce(nonce);
      wrapper.setFeeAmount(oasis.quantity.fromBigInt(feeAmount));
      wrapper.setFeeGas(gas);
      (wrapper as { setBody(b: unknown): void }).setBody(body);
      await wrapper.sign(clientSigner(seed), chainContext);
      const bytes = oasis.misc.toCBOR(wrapper.signedTransaction);

      const opened = openSignedTransaction(bytes, chainContext);
      const method = wrapper.transaction.method;
      methods.add(method);
      assert.equal(opened.tx.method, method);
      assert.equal(opened.tx.nonce, nonce);
      assert.deepEqual(opened.tx.fee, { amount: feeAmount, gas });
      assert.equal(toHex(opened.signer), toHex(Ed25519KeyPair.fromSeed(seed).publicKey));
      assert.equal(toHex(opened.hash), wrapper.hash());
      // The body decodes to exactly the fields the client put in, with the same bytes.
      const ourBody = opened.tx.body as Record<string, unknown>;
      assert.deepEqual(Object.keys(ourBody).sort(), Object.keys(body).sort());
      for (const [k, v] of Object.entries(body)) {
        if (v instanceof Uint8Array)
          assert.equal(toHex(ourBody[k] as Uint8Array), toHex(v), `${method}.${k}`);
        else assert.equal(ourBody[k], v, `${method}.${k}`);
      }
      // Wrong chain context: rejected.
      assert.throws(() => openSignedTransaction(bytes, `${chainContext}x`));
    }
    assert.equal(methods.size, 6, [...methods].join(','));
  });

  it('txs signed by our code verify and open in the client, with the same hash', () => {
    const rng = new Prng(24);
    for (let i = 0; i < 60; i++) {
      const signer = Ed25519KeyPair.fromSeed(rng.bytes(32));
      const chainContext = randomChainContext(rng);
      const to = addressFromPublicKey(Ed25519KeyPair.fromSeed(rng.bytes(32)).publicKey);
      const tx: Transaction = {
        nonce: BigInt(rng.u32()),
        method: 'staking.Transfer',
        body: { to, amount: quantityToBytes(BigInt(rng.u32()) << 40n) },
      };
      if (rng.chance(0.7)) tx.fee = { amount: BigInt(rng.u32()), gas: BigInt(rng.int(100000)) };
      const signed = signTransaction(signer, tx, chainContext);
      const bytes = encodeSignedTransaction(signed);
      const clientSigned = oasis.misc.fromCBOR(bytes) as oasis.types.SignatureSigned;
      const opened = oasis.consensus.openSignedTransaction(chainContext, clientSigned);
      assert.equal(BigInt(opened.nonce), tx.nonce);
      assert.equal(opened.method, tx.method);
      if (tx.fee) {
        assert.equal(oasis.quantity.toBigInt(opened.fee!.amount), tx.fee.amount);
        assert.equal(BigInt(opened.fee!.gas), tx.fee.gas);
      } else assert.equal(opened.fee, undefined);
      const body = opened.body as { to: Uint8Array; amount: Uint8Array };
      assert.equal(toHex(body.to), toHex(to));
      assert.equal(
        quantityFromBytes(body.amount),
        quantityFromBytes((tx.body as { amount: Uint8Array }).amount),
      );
      assert.equal(oasis.consensus.hashSignedTransaction(clientSigned), transactionHashHex(bytes));
      assert.throws(() => oasis.consensus.openSignedTransaction(`${chainContext}x`, clientSigned));
      // And the client re-encodes our envelope to the very same bytes.
      assert.equal(toHex(oasis.misc.toCBOR(clientSigned)), toHex(bytes));
      assert.ok(decodeCanonical(bytes));
    }
  });
});
