import assert from 'node:assert/strict';
import { it } from 'node:test';
import { fromHex } from '../../../../src/codec/bytes.ts';
import { Ed25519KeyPair } from '../../../../src/crypto/ed25519.ts';
import { signRuntimeTransaction } from '../../../../src/runtime/process/sdk/sign.ts';
import { runtimeSignatureContext } from '../../../../src/runtime/process/sdk/transaction.ts';
import { VerifiedTxCache } from '../../../../src/runtime/process/sdk/verify_cache.ts';

const context = runtimeSignatureContext(fromHex(`80${'00'.repeat(31)}`), 'chain');
const key = Ed25519KeyPair.fromSeed(new Uint8Array(32).fill(3));
const tx = (nonce: bigint) =>
  signRuntimeTransaction(key, { method: 'm', body: null, nonce, fee: 0n, gas: 1n }, context);

it('verifies once per transaction, never caches failures, and stays bounded', () => {
  const cache = new VerifiedTxCache(context, 2);
  const a = tx(0n);
  const first = cache.verify(a);
  assert.equal(cache.verify(a), first);
  assert.equal(cache.hits, 1);

  const forged = new Uint8Array(a);
  forged[forged.length - 1]! ^= 1; // flip a signature bit
  assert.throws(() => cache.verify(forged), { module: 'core', code: 2 });
  assert.throws(() => cache.verify(forged), { module: 'core', code: 2 });
  assert.equal(cache.hits, 1);

  cache.verify(tx(1n));
  cache.verify(tx(2n)); // evicts the oldest (a)
  cache.verify(a);
  assert.equal(cache.hits, 1, 'an evicted transaction is verified again');
  assert.throws(() => new VerifiedTxCache('other context').verify(a), { module: 'core', code: 2 });
});
