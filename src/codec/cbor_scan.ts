/**
 * A cheap, iterative structural pre-scan of CBOR input, run before the recursive decoder: hostile input
 * (nesting bombs, length-prefix bombs) fails fast with a `CodecError` instead of exhausting the stack or
 * the allocator.
 */
import { CodecError } from '../errors.ts';

/**
 * Deepest nesting of arrays and maps accepted, as oasis-core's decoder (fxamacker/cbor's default
 * MaxNestedLevels of 32, counting the outermost container as level 1). It also keeps the recursive
 * decoder far from the JS stack limit.
 */
export const MAX_NESTING_DEPTH = 32;

/** Byte length of the argument that follows an initial byte with additional info `info` (-1: invalid). */
function argumentSize(info: number): number {
  if (info < 24) return 0;
  if (info <= 27) return 1 << (info - 24);
  return -1;
}

/** The exact argument of the header that ends at `end` (for messages: `arg` may be rounded above 2^53). */
function exactArgument(view: DataView, end: number, size: number): bigint {
  if (size === 8) return view.getBigUint64(end - 8);
  if (size === 0) return BigInt(view.getUint8(end - 1) & 0x1f);
  return BigInt(
    size === 1 ? view.getUint8(end - 1) : size === 2 ? view.getUint16(end - 2) : view.getUint32(end - 4),
  );
}

/** Smallest argument that needs an argument of `size` bytes (minimal encoding), by size. */
const MINIMAL_FROM: Record<number, number> = { 0: 0, 1: 24, 2: 0x100, 4: 0x1_0000, 8: 0x1_0000_0000 };

/**
 * Order of two map keys (byte spans of `bytes`, each one complete scalar item) as the encoder sorts them:
 * by major type, then shorter first, then byte-wise. For minimally encoded integers, strings and byte
 * strings this is exactly cborg's default map sorter (value order for integers, length-first payload
 * order for strings and bytes).
 */
function compareKeys(bytes: Uint8Array, a0: number, a1: number, b0: number, b1: number): number {
  const majorA = bytes[a0]! >> 5;
  const majorB = bytes[b0]! >> 5;
  if (majorA !== majorB) return majorA - majorB;
  if (a1 - a0 !== b1 - b0) return a1 - a0 - (b1 - b0);
  for (let i = 0; i < a1 - a0; i++) {
    const d = bytes[a0 + i]! - bytes[b0 + i]!;
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * One iterative pass over the item structure before the recursive decoder sees it: rejects nesting deeper
 * than `MAX_NESTING_DEPTH`, lengths that claim more bytes or items than the input holds (a header claiming
 * 2^63 bytes fails here, at once), indefinite lengths, tags, reserved additional-info values and map keys
 * that are arrays or maps.
 *
 * Returns true when the pass also proved the input canonical, so decoding it cannot need the re-encode
 * check: every argument minimal, map keys (integers, strings or byte strings) strictly ascending in the
 * encoder's order, text strings ASCII, and no floats or simple values but false, true and null. False
 * means only "not proven here" (e.g. a float or a non-ASCII string): the caller must check by re-encoding.
 */
export function checkCborStructure(bytes: Uint8Array): boolean {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const pending: number[] = []; // items still expected in each open container, innermost last
  const inMap: boolean[] = []; // whether each open container is a map
  // Byte span of the previous key of each open map (-1: none yet), innermost last.
  const lastKeyStart: number[] = [];
  const lastKeyEnd: number[] = [];
  let proven = true;
  let pos = 0;
  for (;;) {
    const itemStart = pos;
    if (pos >= bytes.length) throw new CodecError('', 'malformed CBOR: unexpected end of input');
    const initial = bytes[pos]!;
    const major = initial >> 5;
    const info = initial & 0x1f;
    const size = argumentSize(info);
    if (size < 0) {
      const what = info === 31 ? 'indefinite length' : `reserved additional info ${info}`;
      throw new CodecError('', `malformed CBOR: ${what} at byte ${pos}`);
    }
    if (pos + 1 + size > bytes.length) throw new CodecError('', 'malformed CBOR: unexpected end of input');
    // A map key that is an array or a map has no canonical order (the encoder cannot sort such keys, so two
    // orders of one map would both pass as canonical); oasis-core keys are strings, bytes and integers.
    const top = pending.length - 1;
    const isKey = top >= 0 && inMap[top]! && pending[top]! % 2 === 0;
    if ((major === 4 || major === 5) && isKey) {
      throw new CodecError('', `non-canonical CBOR: map key at byte ${pos} is an array or a map`);
    }
    // Numbers are exact up to 2^53, far beyond any input size; a larger 64-bit argument only ever fails
    // the length checks below, so its rounding does not matter (messages re-read it exactly).
    let arg: number;
    if (size === 0) arg = info;
    else if (size === 1) arg = view.getUint8(pos + 1);
    else if (size === 2) arg = view.getUint16(pos + 1);
    else if (size === 4) arg = view.getUint32(pos + 1);
    else arg = Number(view.getBigUint64(pos + 1));
    pos += 1 + size;
    const remaining = bytes.length - pos;
    if (major === 7) {
      // Only false, true and null are proven here; floats and other simple values take the slow check.
      if (info < 20 || info > 22) proven = false;
    } else if (arg < MINIMAL_FROM[size]!) {
      proven = false;
    }
    if (major === 2 || major === 3) {
      if (arg > remaining) {
        throw new CodecError(
          '',
          `malformed CBOR: string of ${exactArgument(view, pos, size)} bytes exceeds the ${remaining} remaining`,
        );
      }
      if (major === 3 && proven) {
        for (let i = pos; i < pos + arg; i++) {
          if (bytes[i]! >= 0x80) {
            proven = false;
            break;
          }
        }
      }
      pos += arg;
    } else if (major === 4 || major === 5) {
      const items = major === 4 ? arg : arg * 2;
      if (items > remaining) {
        const n = exactArgument(view, pos, size) * (major === 4 ? 1n : 2n);
        throw new CodecError('', `malformed CBOR: container of ${n} items exceeds the remaining input`);
      }
      if (items > 0) {
        if (pending.length >= MAX_NESTING_DEPTH) {
          throw new CodecError('', `CBOR nested deeper than ${MAX_NESTING_DEPTH} levels`);
        }
        pending.push(items);
        inMap.push(major === 5);
        lastKeyStart.push(-1);
        lastKeyEnd.push(-1);
        continue; // the container's first item comes next
      }
    } else if (major === 6) {
      throw new CodecError('', `malformed CBOR: tags are not allowed (byte ${pos - 1 - size})`);
    }
    if (isKey && proven) {
      // A key is one scalar item (arrays and maps were refused above): it spans itemStart..pos.
      const prev = lastKeyStart[top]!;
      if (prev >= 0 && compareKeys(bytes, prev, lastKeyEnd[top]!, itemStart, pos) >= 0) proven = false;
      lastKeyStart[top] = itemStart;
      lastKeyEnd[top] = pos;
    }
    // One complete item: close every container it completes.
    while (pending.length > 0) {
      const left = pending[pending.length - 1]! - 1;
      if (left > 0) {
        pending[pending.length - 1] = left;
        break;
      }
      pending.pop();
      inMap.pop();
      lastKeyStart.pop();
      lastKeyEnd.pop();
    }
    if (pending.length === 0) break;
  }
  if (pos !== bytes.length) throw new CodecError('', `malformed CBOR: ${bytes.length - pos} trailing bytes`);
  return proven;
}
