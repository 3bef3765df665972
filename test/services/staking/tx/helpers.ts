/** Assertion shared by the per-method tests: a failed transaction changes nothing but fee and nonce. */
import assert from 'node:assert/strict';
import type { TestChain } from '../fixture.ts';

/** The fee every failure test pays. */
export const FEE = { amount: 7n, gas: 100_000n };

/** Delivers a transaction that must fail with (module, code), then checks only fee and nonce changed. */
export function expectFailure(
  chain: TestChain,
  signer: number,
  method: string,
  body: unknown,
  module: string,
  code: number,
): void {
  const before = chain.snapshot();
  const res = chain.deliverOnly(chain.sign(signer, method, body, { fee: FEE }));
  assert.equal(res.error?.module, module, res.error?.message);
  assert.equal(res.error?.code, code, res.error?.message);
  assert.deepEqual(chain.snapshot(), chain.expectedAfterFailure(before, signer, FEE.amount));
}
