import assert from 'node:assert/strict';
import { it } from 'node:test';
import * as oasis from '@oasisprotocol/client';
import * as oasisRT from '@oasisprotocol/client-rt';
import { fromHex } from '../../../../src/codec/bytes.ts';
import { quantityToBytes } from '../../../../src/codec/quantity.ts';
import { addressFromPublicKey } from '../../../../src/crypto/address.ts';
import { Ed25519KeyPair } from '../../../../src/crypto/ed25519.ts';
import { signRuntimeTransaction } from '../../../../src/runtime/process/sdk/sign.ts';
import {
  runtimeSignatureContext,
  verifyTransaction,
} from '../../../../src/runtime/process/sdk/transaction.ts';

it('signs the same bytes as client-rt (the oasis-client-vectors runtime vector)', async () => {
  const runtimeId = fromHex(`80${'00'.repeat(31)}`);
  const chain = 'test-chain-context';
  const seed = new Uint8Array(32).fill(1);
  const to = addressFromPublicKey(Ed25519KeyPair.fromSeed(new Uint8Array(32).fill(2)).publicKey);
  const signer = oasis.signature.NaclSigner.fromSeed(seed, 'this key is not important');
  const w = new oasisRT.accounts.Wrapper(runtimeId).callTransfer();
  w.setBody({ to, amount: [oasis.quantity.fromBigInt(1000n), oasisRT.token.NATIVE_DENOMINATION] });
  w.setSignerInfo([{ address_spec: { signature: { ed25519: signer.public() } }, nonce: 0n }]);
  w.setFeeAmount([oasis.quantity.fromBigInt(0n), oasisRT.token.NATIVE_DENOMINATION]);
  w.setFeeGas(1000n);
  await w.sign([new oasis.signature.BlindContextSigner(signer)], chain);
  const theirs = oasis.misc.toCBOR(w.unverifiedTransaction);

  const context = runtimeSignatureContext(runtimeId, chain);
  assert.equal(
    context,
    `oasis-runtime-sdk/tx: v0 for chain ${oasisRT.transaction.deriveChainContext(runtimeId, chain)}`,
  );
  const ours = signRuntimeTransaction(
    Ed25519KeyPair.fromSeed(seed),
    {
      method: 'accounts.Transfer',
      body: { to, amount: [quantityToBytes(1000n), new Uint8Array(0)] },
      nonce: 0n,
      fee: 0n,
      gas: 1000n,
    },
    context,
  );
  assert.deepEqual(ours, theirs);
  const tx = verifyTransaction(theirs, context);
  assert.equal(tx.method, 'accounts.Transfer');
  assert.deepEqual(tx.signers[0]!.publicKey, signer.public());
  assert.equal(tx.fee.gas, 1000n);
});
