/**
 * TupleHash256 (NIST SP 800-185) over our own Keccak-f[1600]: node:crypto offers SHAKE but not cSHAKE
 * (no function-name / customization inputs), and TupleHash needs cSHAKE256 with N = "TupleHash". The
 * VRF beacon derives each epoch's alpha (and the scheduler its VRF orderings) with it, so it must match
 * oasis-core's `go/common/crypto/tuplehash` byte for byte.
 */

const MASK64 = (1n << 64n) - 1n;
/** Keccak-f[1600] round constants. */
const ROUND_CONSTANTS: readonly bigint[] = (() => {
  const out: bigint[] = [];
  let lfsr = 1;
  for (let round = 0; round < 24; round++) {
    let rc = 0n;
    for (let j = 0; j < 7; j++) {
      if (lfsr & 1) rc |= 1n << BigInt((1 << j) - 1);
      lfsr = lfsr & 0x80 ? ((lfsr << 1) ^ 0x71) & 0xff : (lfsr << 1) & 0xff;
    }
    out.push(rc);
  }
  return out;
})();
/** Rotation offsets and destination lane of the rho/pi steps, walked from lane 1. */
const RHO_PI: readonly (readonly [number, bigint])[] = (() => {
  const out: [number, bigint][] = [];
  let x = 1;
  let y = 0;
  for (let t = 0; t < 24; t++) {
    const next = [y, (2 * x + 3 * y) % 5] as const;
    out.push([next[0] + 5 * next[1], BigInt((((t + 1) * (t + 2)) / 2) % 64)]);
    x = next[0];
    y = next[1];
  }
  return out;
})();

function rotl(v: bigint, n: bigint): bigint {
  return n === 0n ? v : ((v << n) | (v >> (64n - n))) & MASK64;
}

/** Keccak-f[1600] over 25 little-endian 64-bit lanes, in place. */
function keccakF(lanes: bigint[]): void {
  const c = new Array<bigint>(5);
  for (let round = 0; round < 24; round++) {
    for (let x = 0; x < 5; x++)
      c[x] = lanes[x]! ^ lanes[x + 5]! ^ lanes[x + 10]! ^ lanes[x + 15]! ^ lanes[x + 20]!;
    for (let x = 0; x < 5; x++) {
      const d = c[(x + 4) % 5]! ^ rotl(c[(x + 1) % 5]!, 1n);
      for (let y = 0; y < 25; y += 5) lanes[x + y] = lanes[x + y]! ^ d;
    }
    let carried = lanes[1]!;
    for (const [dest, rot] of RHO_PI) {
      const next = lanes[dest]!;
      lanes[dest] = rotl(carried, rot);
      carried = next;
    }
    for (let y = 0; y < 25; y += 5) {
      const row = lanes.slice(y, y + 5);
      for (let x = 0; x < 5; x++) lanes[y + x] = row[x]! ^ (~row[(x + 1) % 5]! & MASK64 & row[(x + 2) % 5]!);
    }
    lanes[0] = lanes[0]! ^ ROUND_CONSTANTS[round]!;
  }
}

/** A Keccak sponge with `rate` bytes and a domain-separation pad byte (0x1f SHAKE, 0x04 cSHAKE). */
class Sponge {
  readonly #lanes: bigint[] = new Array<bigint>(25).fill(0n);
  readonly #buffer: Uint8Array;
  #filled = 0;

  constructor(
    readonly rate: number,
    readonly padByte: number,
  ) {
    this.#buffer = new Uint8Array(rate);
  }

  absorb(data: Uint8Array): void {
    for (const byte of data) {
      this.#buffer[this.#filled++] = byte;
      if (this.#filled === this.rate) this.#permuteBuffer();
    }
  }

  #permuteBuffer(): void {
    const view = new DataView(this.#buffer.buffer);
    for (let i = 0; i < this.rate / 8; i++) this.#lanes[i] = this.#lanes[i]! ^ view.getBigUint64(i * 8, true);
    keccakF(this.#lanes);
    this.#buffer.fill(0);
    this.#filled = 0;
  }

  /** Pads and squeezes `length` bytes (the sponge is finished afterwards). */
  squeeze(length: number): Uint8Array {
    this.#buffer[this.#filled] = (this.#buffer[this.#filled] ?? 0) ^ this.padByte;
    this.#buffer[this.rate - 1] = this.#buffer[this.rate - 1]! ^ 0x80;
    this.#filled = this.rate;
    this.#permuteBuffer();
    const out = new Uint8Array(length);
    const block = new DataView(new ArrayBuffer(this.rate));
    for (let offset = 0; offset < length; offset += this.rate) {
      if (offset > 0) keccakF(this.#lanes);
      for (let i = 0; i < this.rate / 8; i++) block.setBigUint64(i * 8, this.#lanes[i]!, true);
      out.set(new Uint8Array(block.buffer).subarray(0, Math.min(this.rate, length - offset)), offset);
    }
    return out;
  }
}

function integerBytes(x: bigint): number[] {
  const out: number[] = [];
  for (let v = x; v > 0n; v >>= 8n) out.unshift(Number(v & 0xffn));
  return out.length === 0 ? [0] : out;
}

/** SP 800-185 left_encode: byte count, then the big-endian integer. */
export function leftEncode(x: bigint): Uint8Array {
  const body = integerBytes(x);
  return Uint8Array.from([body.length, ...body]);
}

/** SP 800-185 right_encode: the big-endian integer, then its byte count. */
export function rightEncode(x: bigint): Uint8Array {
  const body = integerBytes(x);
  return Uint8Array.from([...body, body.length]);
}

function encodeString(s: Uint8Array): Uint8Array[] {
  return [leftEncode(BigInt(s.length) * 8n), s];
}

const CSHAKE256_RATE = 136;
const TUPLEHASH_NAME = new TextEncoder().encode('TupleHash');

/** cSHAKE256 sponge with function name `n` and customization `s`, ready to absorb the message. */
function cshake256(n: Uint8Array, s: Uint8Array): Sponge {
  if (n.length === 0 && s.length === 0) return new Sponge(CSHAKE256_RATE, 0x1f);
  const sponge = new Sponge(CSHAKE256_RATE, 0x04);
  const header = [leftEncode(BigInt(CSHAKE256_RATE)), ...encodeString(n), ...encodeString(s)];
  let written = 0;
  for (const part of header) {
    sponge.absorb(part);
    written += part.length;
  }
  const padding = (CSHAKE256_RATE - (written % CSHAKE256_RATE)) % CSHAKE256_RATE;
  sponge.absorb(new Uint8Array(padding));
  return sponge;
}

/** TupleHash256 of `items` with customization string `customization`, producing `outputBytes` bytes. */
export function tupleHash256(
  customization: Uint8Array,
  items: readonly Uint8Array[],
  outputBytes = 32,
): Uint8Array {
  if (!Number.isSafeInteger(outputBytes) || outputBytes < 1) throw new RangeError('invalid output size');
  const sponge = cshake256(TUPLEHASH_NAME, customization);
  for (const item of items) for (const part of encodeString(item)) sponge.absorb(part);
  sponge.absorb(rightEncode(BigInt(outputBytes) * 8n));
  return sponge.squeeze(outputBytes);
}

/** Plain SHAKE256 through the same sponge (lets tests check the permutation against node:crypto). */
export function shake256(data: Uint8Array, outputBytes: number): Uint8Array {
  const sponge = cshake256(new Uint8Array(0), new Uint8Array(0));
  sponge.absorb(data);
  return sponge.squeeze(outputBytes);
}
