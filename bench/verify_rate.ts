/**
 * The machine's single-core Ed25519 verification rate, measured in the benchmark's own run so results can
 * be stated as ratios to it (the machine's speed and load cancel out).
 */
import { Ed25519KeyPair, verifyRaw } from '../src/crypto/ed25519.ts';

/** Verifications per second on this thread, over about `ms` milliseconds. */
export function verifyRate(ms = 1000): number {
  const key = Ed25519KeyPair.fromSeed(new Uint8Array(32).fill(9));
  const msg = new Uint8Array(64);
  const sig = key.signRaw(msg);
  let n = 0;
  const start = Date.now();
  while (Date.now() - start < ms) for (let i = 0; i < 100; i++, n++) verifyRaw(key.publicKey, msg, sig);
  return (n * 1000) / (Date.now() - start);
}
