/** Assertions shared by the registry transaction tests. */
import assert from 'node:assert/strict';
import type { Ed25519KeyPair } from '../../../src/crypto/ed25519.ts';
import type { RegistryChain } from './fixture.ts';

/** The fee every failure test pays. */
export const FEE = { amount: 7n, gas: 1_000_000n };

/** Delivers a transaction that must fail with (module, code); only the signer's fee and nonce may change. */
export function expectFailure(
  chain: RegistryChain,
  signer: Ed25519KeyPair,
  method: string,
  body: unknown,
  module: string,
  code: number,
): void {
  const before = chain.snapshot();
  const res = chain.deliverOnly(chain.sign(signer, method, body, FEE));
  assert.equal(res.error?.module, module, res.error?.message);
  assert.equal(res.error?.code, code, res.error?.message);
  assert.deepEqual(chain.snapshot(), chain.expectedAfterFailure(before, signer.publicKey, FEE.amount));
}

/** Asserts a transaction result succeeded. */
export function expectOk(res: { error?: { module: string; code: number; message: string } }): void {
  assert.equal(
    res.error,
    undefined,
    res.error && `${res.error.module}/${res.error.code}: ${res.error.message}`,
  );
}
