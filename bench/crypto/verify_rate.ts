/**
 * The machine's single-core Ed25519 verify rate, measured for one second: the yardstick the end-to-end
 * benchmarks divide their throughput by, so figures from different machines compare.
 */
import { Ed25519KeyPair, verifyRaw } from '../../src/crypto/ed25519.ts';

/** Ed25519 signature verifications per second on one core (one 64-byte message, one key). */
export function ed25519VerifyRate(): number {
  const key = Ed25519KeyPair.fromSeed(new Uint8Array(32).fill(9));
  const msg = new Uint8Array(64);
  const sig = key.signRaw(msg);
  let n = 0;
  const end = Date.now() + 1000;
  while (Date.now() < end) for (let i = 0; i < 100; i++, n++) verifyRaw(key.publicKey, msg, sig);
  return n;
}
