/**
 * ECVRF-EDWARDS25519-SHA512-ELL2 (IETF draft-irtf-cfrg-vrf / RFC 9381), as curve25519-voi's `ecvrf`
 * implements it for oasis-core's VRF beacon: a node proves, with its VRF key, a pseudorandom output
 * (beta) over the epoch's alpha that everyone can verify and nobody — the node included — can choose.
 *
 * Field and curve arithmetic is plain BigInt over edwards25519 in extended coordinates; hashing to the
 * curve is RFC 9380's edwards25519_XMD:SHA-512_ELL2_NU_. The default challenge covers the public key
 * (draft 11+ / RFC 9381 semantics, curve25519-voi `Prove`/`Verify`); `{ draft10: true }` selects the
 * older four-point challenge (`Prove_v10`/`Verify_v10`), which is what oasis-core's consensus uses for
 * beacon proofs. Beta is the same under both. Not constant time: fine for
 * verification, and a node's own proving leaks at most timing of its VRF key on its own machine.
 */
import { createHash } from 'node:crypto';
import { concatBytes, toHex, utf8 } from '../codec/bytes.ts';

/** Size of a proof (pi): Gamma (32) || c (16) || s (32). */
export const VRF_PROOF_SIZE = 80;
/** Size of the VRF output (beta). */
export const VRF_OUTPUT_SIZE = 64;

const P = (1n << 255n) - 19n;
const Q = (1n << 252n) + 27742317777372353535851937790883648493n;
const D = mod(-121665n * inv(121666n));
const D2 = mod(2n * D);
const SQRT_M1 = pow(2n, (P - 1n) / 4n);
const SUITE = 0x04;

function mod(a: bigint, m = P): bigint {
  const r = a % m;
  return r < 0n ? r + m : r;
}

function pow(base: bigint, exp: bigint): bigint {
  let result = 1n;
  let b = mod(base);
  for (let e = exp; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % P;
    b = (b * b) % P;
  }
  return result;
}

function inv(a: bigint): bigint {
  return pow(a, P - 2n);
}

/** A square root of `a` (either sign), or undefined when `a` is not a square (p ≡ 5 mod 8). */
function sqrt(a: bigint): bigint | undefined {
  const x = pow(a, (P + 3n) / 8n);
  if (mod(x * x) === mod(a)) return x;
  const y = mod(x * SQRT_M1);
  return mod(y * y) === mod(a) ? y : undefined;
}

/** The root of `a` whose parity (RFC 9380 sgn0) is `sign`. */
function sqrtWithSign(a: bigint, sign: bigint): bigint | undefined {
  const r = sqrt(a);
  if (r === undefined) return undefined;
  return (r & 1n) === sign ? r : mod(-r);
}

/** Extended twisted-Edwards coordinates (X:Y:Z:T), x = X/Z, y = Y/Z, xy = T/Z. */
interface Point {
  x: bigint;
  y: bigint;
  z: bigint;
  t: bigint;
}

const IDENTITY: Point = { x: 0n, y: 1n, z: 1n, t: 0n };

function affine(x: bigint, y: bigint): Point {
  return { x, y, z: 1n, t: mod(x * y) };
}

const BASE = affine(
  15112221349535400772501151409588531511454012693041857206046113283949847762202n,
  46316835694926478169428394003475163141307993866256225615783033603165251855960n,
);

function add(p: Point, q: Point): Point {
  const a = mod((p.y - p.x) * (q.y - q.x));
  const b = mod((p.y + p.x) * (q.y + q.x));
  const c = mod(p.t * D2 * q.t);
  const d = mod(2n * p.z * q.z);
  const e = b - a;
  const f = d - c;
  const g = d + c;
  const h = b + a;
  return { x: mod(e * f), y: mod(g * h), z: mod(f * g), t: mod(e * h) };
}

function double(p: Point): Point {
  const a = mod(p.x * p.x);
  const b = mod(p.y * p.y);
  const c = mod(2n * p.z * p.z);
  const h = a + b;
  const e = mod(h - (p.x + p.y) * (p.x + p.y));
  const g = a - b;
  const f = c + g;
  return { x: mod(e * f), y: mod(g * h), z: mod(f * g), t: mod(e * h) };
}

function negate(p: Point): Point {
  return { x: mod(-p.x), y: p.y, z: p.z, t: mod(-p.t) };
}

function multiply(p: Point, scalar: bigint): Point {
  let result = IDENTITY;
  for (let i = BigInt(scalar.toString(2).length) - 1n; i >= 0n; i--) {
    result = double(result);
    if ((scalar >> i) & 1n) result = add(result, p);
  }
  return result;
}

function mulByCofactor(p: Point): Point {
  return double(double(double(p)));
}

function isIdentity(p: Point): boolean {
  return p.x === 0n && mod(p.y - p.z) === 0n;
}

function littleEndianToBigInt(bytes: Uint8Array): bigint {
  let n = 0n;
  for (let i = bytes.length - 1; i >= 0; i--) n = (n << 8n) | BigInt(bytes[i]!);
  return n;
}

function bigIntToLittleEndian(n: bigint, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let v = n;
  for (let i = 0; i < length; i++, v >>= 8n) out[i] = Number(v & 0xffn);
  return out;
}

/** RFC 8032 point encoding: y little-endian with x's parity in the top bit. */
function encodePoint(p: Point): Uint8Array {
  const zInv = inv(p.z);
  const x = mod(p.x * zInv);
  const y = mod(p.y * zInv);
  const out = bigIntToLittleEndian(y, 32);
  out[31] = out[31]! | (Number(x & 1n) << 7);
  return out;
}

/** RFC 8032 point decoding, rejecting non-canonical encodings (y ≥ p, or "-0"). */
function decodePoint(bytes: Uint8Array): Point | undefined {
  if (bytes.length !== 32) return undefined;
  const sign = BigInt(bytes[31]! >> 7);
  const y = littleEndianToBigInt(bytes) & ((1n << 255n) - 1n);
  if (y >= P) return undefined;
  const y2 = mod(y * y);
  const x = sqrtWithSign(mod((y2 - 1n) * inv(mod(D * y2 + 1n))), sign);
  if (x === undefined || (x === 0n && sign === 1n)) return undefined;
  return affine(x, y);
}

function sha512(...parts: Uint8Array[]): Uint8Array {
  const h = createHash('sha512');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

const H2C_DST = concatBytes(utf8('ECVRF_edwards25519_XMD:SHA-512_ELL2_NU_'), Uint8Array.of(SUITE));
const ELL2_J = 486662n;
/** sqrt(-486664) with sgn0 = 0, the Montgomery → Edwards rational map constant. */
const MONT_TO_ED = sqrtWithSign(-486664n, 0n)!;

/** RFC 9380 expand_message_xmd with SHA-512 for 48 bytes (one output block). */
function expandMessage48(msg: Uint8Array): Uint8Array {
  const dstPrime = concatBytes(H2C_DST, Uint8Array.of(H2C_DST.length));
  const b0 = sha512(new Uint8Array(128), msg, Uint8Array.of(0, 48, 0), dstPrime);
  return sha512(b0, Uint8Array.of(1), dstPrime).subarray(0, 48);
}

/** RFC 9380 Elligator 2 onto curve25519, then the rational map onto edwards25519. */
function elligator2(u: bigint): Point {
  let x1 = mod(-ELL2_J * inv(mod(1n + 2n * u * u)));
  if (x1 === 0n) x1 = mod(-ELL2_J);
  const gx = (x: bigint) => mod(x * x * x + ELL2_J * x * x + x);
  const x2 = mod(-x1 - ELL2_J);
  const y1 = sqrtWithSign(gx(x1), 1n);
  const [s, t] = y1 !== undefined ? [x1, y1] : [x2, sqrtWithSign(gx(x2), 0n)!];
  if (t === 0n || mod(s + 1n) === 0n) return IDENTITY;
  return affine(mod(MONT_TO_ED * s * inv(t)), mod((s - 1n) * inv(s + 1n)));
}

/** ECVRF_encode_to_curve: hash (public key || alpha) to a point of the prime-order subgroup. */
function hashToCurve(publicKey: Uint8Array, alpha: Uint8Array): Point {
  const uniform = expandMessage48(concatBytes(publicKey, alpha));
  let u = 0n;
  for (const byte of uniform) u = (u << 8n) | BigInt(byte);
  return mulByCofactor(elligator2(mod(u)));
}

function challenge(points: Uint8Array[]): bigint {
  return littleEndianToBigInt(
    sha512(Uint8Array.of(SUITE, 0x02), ...points, Uint8Array.of(0)).subarray(0, 16),
  );
}

/** Which draft's challenge to use. */
export interface VrfOptions {
  /** Draft-10 challenge (no public key); curve25519-voi `Prove_v10`/`Verify_v10`. */
  draft10?: boolean;
}

function challengePoints(y: Uint8Array, points: Uint8Array[], opts: VrfOptions): Uint8Array[] {
  return opts.draft10 ? points : [y, ...points];
}

function gammaToBeta(gamma: Point): Uint8Array {
  return sha512(Uint8Array.of(SUITE, 0x03), encodePoint(mulByCofactor(gamma)), Uint8Array.of(0));
}

/** The VRF proof (pi) of `alpha` under the Ed25519 key with 32-byte `seed` (deterministic). */
export function vrfProve(seed: Uint8Array, alpha: Uint8Array, opts: VrfOptions = {}): Uint8Array {
  if (seed.length !== 32) throw new RangeError('ecvrf: the secret key seed must be 32 bytes');
  const expanded = sha512(seed);
  const clamped = expanded.slice(0, 32);
  clamped[0] = clamped[0]! & 248;
  clamped[31] = (clamped[31]! & 127) | 64;
  const x = littleEndianToBigInt(clamped);
  const y = encodePoint(multiply(BASE, x));
  const h = hashToCurve(y, alpha);
  const hString = encodePoint(h);
  const gamma = encodePoint(multiply(h, x));
  const k = mod(littleEndianToBigInt(sha512(expanded.subarray(32), hString)), Q);
  const kB = encodePoint(multiply(BASE, k));
  const kH = encodePoint(multiply(h, k));
  const c = challenge(challengePoints(y, [hString, gamma, kB, kH], opts));
  const s = mod(k + c * x, Q);
  return concatBytes(gamma, bigIntToLittleEndian(c, 16), bigIntToLittleEndian(s, 32));
}

interface DecodedProof {
  gamma: Point;
  c: bigint;
  s: bigint;
}

function decodeProof(pi: Uint8Array): DecodedProof | undefined {
  if (pi.length !== VRF_PROOF_SIZE) return undefined;
  const gamma = decodePoint(pi.subarray(0, 32));
  const s = littleEndianToBigInt(pi.subarray(48, 80));
  if (gamma === undefined || s >= Q) return undefined;
  return { gamma, c: littleEndianToBigInt(pi.subarray(32, 48)), s };
}

/** ECVRF_proof_to_hash: beta of a proof already known to be valid; undefined if pi does not decode. */
export function vrfProofToHash(pi: Uint8Array): Uint8Array | undefined {
  const decoded = decodeProof(pi);
  return decoded && gammaToBeta(decoded.gamma);
}

/**
 * Answers of recent verifications. A node checks each beacon proof transaction at admission, in the
 * proposal check, in execution and in re-checks; one verification is ~20 ms of BigInt arithmetic, the
 * largest cost of an empty height in an epoch's proving window. Verification is a pure function of its
 * inputs, so an answer can be reused.
 */
const verified = new Map<string, Uint8Array | undefined>();
const VERIFIED_LIMIT = 1024;

/**
 * ECVRF_verify: beta when `pi` proves `alpha` under `publicKey`, else undefined. Rejects non-canonical
 * and small-order public keys (the spec's key validation, giving full uniqueness).
 */
export function vrfVerify(
  publicKey: Uint8Array,
  pi: Uint8Array,
  alpha: Uint8Array,
  opts: VrfOptions = {},
): Uint8Array | undefined {
  const key = [opts.draft10 ? 'v10' : 'v', toHex(publicKey), toHex(pi), toHex(alpha)].join('/');
  if (verified.has(key)) {
    const beta = verified.get(key);
    return beta && new Uint8Array(beta);
  }
  const beta = verifyNow(publicKey, pi, alpha, opts);
  if (verified.size >= VERIFIED_LIMIT) verified.delete(verified.keys().next().value!);
  verified.set(key, beta && new Uint8Array(beta));
  return beta;
}

function verifyNow(
  publicKey: Uint8Array,
  pi: Uint8Array,
  alpha: Uint8Array,
  opts: VrfOptions,
): Uint8Array | undefined {
  const decoded = decodeProof(pi);
  const y = decodePoint(publicKey);
  if (decoded === undefined || y === undefined || isIdentity(mulByCofactor(y))) return undefined;
  const h = hashToCurve(publicKey, alpha);
  const u = add(multiply(BASE, decoded.s), negate(multiply(y, decoded.c)));
  const v = add(multiply(h, decoded.s), negate(multiply(decoded.gamma, decoded.c)));
  const points = [encodePoint(h), pi.subarray(0, 32), encodePoint(u), encodePoint(v)];
  if (challenge(challengePoints(publicKey, points, opts)) !== decoded.c) return undefined;
  return gammaToBeta(decoded.gamma);
}
