/**
 * Bit-level key arithmetic for the MKVS trie. Keys and edge labels are read most-significant bit first
 * (bit 0 is the top bit of byte 0), as oasis-core does. A label of `n` bits is stored in ceil(n/8) bytes
 * with unused trailing bits zero: that exact byte form goes into internal-node hashes, so it must be canonical.
 */

/** Number of bytes needed to hold `bits` bits. */
export function bitsToBytes(bits: number): number {
  return (bits + 7) >>> 3;
}

/** Bit `bit` of `key` (MSB first). */
export function getBit(key: Uint8Array, bit: number): boolean {
  return ((key[bit >>> 3]! >>> (7 - (bit & 7))) & 1) === 1;
}

/** The 8 bits of `key` starting at bit `offset` (bits past the end read as zero). */
function byteAtBit(key: Uint8Array, offset: number): number {
  const i = offset >>> 3;
  const shift = offset & 7;
  const hi = key[i] ?? 0;
  if (shift === 0) return hi;
  return ((hi << shift) | ((key[i + 1] ?? 0) >>> (8 - shift))) & 0xff;
}

/**
 * Length of the common prefix of `a` bits [aOff, aOff+aLen) and `b` bits [bOff, bOff+bLen), never more
 * than the shorter of the two runs.
 */
export function commonPrefixBits(
  a: Uint8Array,
  aOff: number,
  aLen: number,
  b: Uint8Array,
  bOff: number,
  bLen: number,
): number {
  const max = Math.min(aLen, bLen);
  for (let done = 0; done < max; done += 8) {
    const diff = byteAtBit(a, aOff + done) ^ byteAtBit(b, bOff + done);
    if (diff !== 0) return Math.min(max, done + Math.clz32(diff) - 24);
  }
  return max;
}

/** Bits [from, to) of `key` as a canonical label (left-aligned, trailing bits zero). */
export function sliceBits(key: Uint8Array, from: number, to: number): Uint8Array {
  const bits = to - from;
  const out = new Uint8Array(bitsToBytes(bits));
  for (let i = 0; i < out.length; i++) out[i] = byteAtBit(key, from + i * 8);
  const rest = bits & 7;
  if (rest !== 0) out[out.length - 1]! &= (0xff << (8 - rest)) & 0xff;
  return out;
}

/** The canonical label made of `a`'s first `aBits` bits followed by `b`'s first `bBits` bits. */
export function concatBits(a: Uint8Array, aBits: number, b: Uint8Array, bBits: number): Uint8Array {
  const out = new Uint8Array(bitsToBytes(aBits + bBits));
  out.set(a.subarray(0, bitsToBytes(aBits)));
  const shift = aBits & 7;
  const start = aBits >>> 3;
  const bBytes = bitsToBytes(bBits);
  for (let i = 0; i < bBytes; i++) {
    const v = b[i]!;
    if (shift === 0) {
      out[start + i] = v;
    } else {
      out[start + i]! |= v >>> shift;
      if (start + i + 1 < out.length) out[start + i + 1] = (v << (8 - shift)) & 0xff;
    }
  }
  const rest = (aBits + bBits) & 7;
  if (rest !== 0) out[out.length - 1]! &= (0xff << (8 - rest)) & 0xff;
  return out;
}

/** True when `key` starts with `prefix`. */
export function hasPrefix(key: Uint8Array, prefix: Uint8Array): boolean {
  if (key.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (key[i] !== prefix[i]) return false;
  return true;
}
