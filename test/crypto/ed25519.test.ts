import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toHex, utf8 } from '../../src/codec/bytes.ts';
import { Ed25519KeyPair, isSmallOrderPoint, verifyRaw } from '../../src/crypto/ed25519.ts';
import { Prng } from '../codec/fuzz_helpers.ts';

// An independent, slow, BigInt edwards25519 (RFC 8032 §5.1), only to check the fast code's small-order test.
const P = (1n << 255n) - 19n;
const L = (1n << 252n) + 27742317777372353535851937790883648493n;
const mod = (a: bigint) => ((a % P) + P) % P;
function pow(base: bigint, exp: bigint): bigint {
  let result = 1n;
  let b = mod(base);
  for (let e = exp; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % P;
    b = (b * b) % P;
  }
  return result;
}
const inv = (a: bigint) => pow(a, P - 2n);
const D = mod(-121665n * inv(121666n));
const SQRT_M1 = pow(2n, (P - 1n) / 4n);

/** Extended coordinates (X, Y, Z, T) with x = X/Z, y = Y/Z, xy = T/Z. */
type Point = readonly [bigint, bigint, bigint, bigint];
const IDENTITY: Point = [0n, 1n, 1n, 0n];

function add([x1, y1, z1, t1]: Point, [x2, y2, z2, t2]: Point): Point {
  const a = mod((y1 - x1) * (y2 - x2));
  const b = mod((y1 + x1) * (y2 + x2));
  const c = mod(2n * D * t1 * t2);
  const d = mod(2n * z1 * z2);
  const [e, f, g, h] = [b - a, d - c, d + c, b + a];
  return [mod(e * f), mod(g * h), mod(f * g), mod(e * h)];
}
const double = (p: Point) => add(p, p);
const times8 = (p: Point) => double(double(double(p)));
function isIdentity([x, y, z]: Point): boolean {
  return mod(x) === 0n && mod(y - z) === 0n;
}
function affine([x, y, z]: Point): string {
  const zi = inv(z);
  return `${mod(x * zi)},${mod(y * zi)}`;
}

/**
 * Decompresses a 32-byte encoding, accepting non-canonical y (y >= p, reduced) and "negative zero" x as
 * curve25519-voi does with AllowNonCanonical; null when no curve point has this y.
 */
function decompress(encoded: Uint8Array): Point | null {
  let n = 0n;
  for (let i = 31; i >= 0; i--) n = (n << 8n) | BigInt(encoded[i]!);
  const sign = n >> 255n;
  const y = mod(n & ((1n << 255n) - 1n));
  const u = mod(y * y - 1n);
  const v = mod(D * y * y + 1n);
  let x = mod(u * pow(v, 3n) * pow(u * pow(v, 7n), (P - 5n) / 8n));
  if (mod(v * x * x) !== u) {
    if (mod(v * x * x) !== mod(-u)) return null;
    x = mod(x * SQRT_M1);
  }
  if ((x & 1n) !== sign) x = mod(-x);
  return [x, y, 1n, mod(x * y)];
}

function encodingOf(yValue: bigint, signBit: boolean): Uint8Array {
  const out = new Uint8Array(32);
  let n = yValue | (signBit ? 1n << 255n : 0n);
  for (let i = 0; i < 32; i++, n >>= 8n) out[i] = Number(n & 0xffn);
  return out;
}

function scalarMul(point: Point, scalar: bigint): Point {
  let result = IDENTITY;
  let addend = point;
  for (let k = scalar; k > 0n; k >>= 1n) {
    if (k & 1n) result = add(result, addend);
    addend = double(addend);
  }
  return result;
}

function affineY([, y, z]: Point): bigint {
  return mod(y * inv(z));
}

describe('ed25519 small-order points', () => {
  it('flags exactly the encodings of the 8 torsion points (canonical or not), each with [8]P = O', () => {
    // [L]P of a random curve point P is its torsion component; enough random P yield all 8 torsion points.
    const rng = new Prng(30);
    const torsion = new Map<string, Point>();
    for (let i = 0; i < 200 && torsion.size < 8; i++) {
      const point = decompress(rng.bytes(32));
      if (point === null) continue;
      const t = scalarMul(point, L);
      assert.ok(isIdentity(times8(t)));
      torsion.set(affine(t), t);
    }
    assert.equal(torsion.size, 8, 'all 8 torsion points found');
    // Every encoding of a torsion point: canonical y, y + p when it fits in 255 bits, either sign bit.
    const flagged = new Set<string>();
    for (const t of torsion.values()) {
      const y = affineY(t);
      for (const yValue of [y, y + P]) {
        if (yValue >= 1n << 255n) continue;
        for (const sign of [false, true]) {
          const enc = encodingOf(yValue, sign);
          assert.equal(isSmallOrderPoint(enc), true, `y=${yValue.toString(16)} sign=${sign}`);
          const point = decompress(enc);
          assert.ok(point === null || isIdentity(times8(point)));
          flagged.add(toHex(enc));
        }
      }
    }
    // The 8 points have 5 distinct y (1, p-1, 0 and two order-8 values); y = 0 and 1 also have a y + p
    // form: 7 y values with 2 sign bits each.
    assert.equal(flagged.size, 14);
    // Neighbouring y values that are not torsion y values are not flagged.
    for (const t of torsion.values()) {
      for (const delta of [1n, 2n, 3n]) {
        const y = (affineY(t) + delta) % P;
        if ([...torsion.values()].some((u) => affineY(u) === y)) continue;
        assert.equal(isSmallOrderPoint(encodingOf(y, false)), false);
      }
    }
  });

  it('does not flag random valid public keys, whose [8]P is not the identity', () => {
    const rng = new Prng(31);
    for (let i = 0; i < 200; i++) {
      const pk = Ed25519KeyPair.fromSeed(rng.bytes(32)).publicKey;
      const point = decompress(pk);
      assert.ok(point, toHex(pk));
      assert.equal(isIdentity(times8(point)), false);
      assert.equal(isSmallOrderPoint(pk), false);
    }
  });

  it('verifyRaw rejects small-order keys and R, and S >= L', () => {
    const key = Ed25519KeyPair.fromSeed(new Uint8Array(32).fill(9));
    const msg = utf8('message');
    const sig = key.signRaw(msg);
    assert.equal(verifyRaw(key.publicKey, msg, sig), true);
    // Identity key and R with S = 0 satisfy the verification equation for every message.
    const identity = encodingOf(1n, false);
    const forged = new Uint8Array(64);
    forged.set(identity, 0);
    assert.equal(verifyRaw(identity, msg, forged), false);
    assert.equal(verifyRaw(identity, utf8('other'), forged), false);
    // Small-order R with an honest key.
    const smallR = new Uint8Array(sig);
    smallR.set(encodingOf(0n, false), 0);
    assert.equal(verifyRaw(key.publicKey, msg, smallR), false);
    // S + L is the same scalar mod L but non-canonical.
    let s = 0n;
    for (let i = 63; i >= 32; i--) s = (s << 8n) | BigInt(sig[i]!);
    const malleable = new Uint8Array(sig);
    let sPlusL = s + L;
    for (let i = 32; i < 64; i++, sPlusL >>= 8n) malleable[i] = Number(sPlusL & 0xffn);
    assert.equal(verifyRaw(key.publicKey, msg, malleable), false);
    // Wrong lengths and garbage never throw.
    assert.equal(verifyRaw(key.publicKey.subarray(1), msg, sig), false);
    assert.equal(verifyRaw(key.publicKey, msg, sig.subarray(1)), false);
    assert.equal(verifyRaw(new Uint8Array(32).fill(0xff), msg, sig), false);
  });
});
