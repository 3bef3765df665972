/**
 * Seeded randomness and input mutators shared by the fuzz-style tests: every run sees the same inputs, so
 * a failure is reproducible from its seed and iteration number.
 */
import assert from 'node:assert/strict';
import { CodedError } from '../../src/errors.ts';

/** A small deterministic PRNG (mulberry32): fast, seedable, good enough to drive fuzzing. */
export class Prng {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** Uniform 32-bit unsigned integer. */
  u32(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return this.u32() % n;
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.u32() / 2 ** 32 < p;
  }

  /** `n` random bytes. */
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.u32() & 0xff;
    return out;
  }

  /** A random element of `items`. */
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

/** A random mutation of `input`: bit flips, byte overwrites, truncation, insertion, deletion or splicing. */
export function mutate(rng: Prng, input: Uint8Array): Uint8Array {
  const out = Array.from(input);
  const rounds = 1 + rng.int(3);
  for (let r = 0; r < rounds; r++) {
    const kind = rng.int(6);
    const at = out.length === 0 ? 0 : rng.int(out.length);
    if (kind === 0 && out.length > 0) out[at] = out[at]! ^ (1 << rng.int(8));
    else if (kind === 1 && out.length > 0) out[at] = rng.int(256);
    else if (kind === 2) out.length = rng.int(out.length + 1);
    else if (kind === 3) out.splice(at, 0, ...rng.bytes(1 + rng.int(8)));
    else if (kind === 4 && out.length > 0) out.splice(at, 1 + rng.int(4));
    else if (kind === 5 && out.length > 0) {
      const from = rng.int(out.length);
      out.splice(at, 0, ...out.slice(from, from + 1 + rng.int(16)));
    }
  }
  return Uint8Array.from(out);
}

/** Asserts that `fn` returns or throws a coded error (CodecError is one), never any other exception. */
export function assertValueOrCoded<T>(fn: () => T, label: string): T | CodedError {
  try {
    return fn();
  } catch (err) {
    assert.ok(
      err instanceof CodedError,
      `${label}: unexpected ${(err as Error)?.name}: ${(err as Error)?.message}`,
    );
    return err;
  }
}
