/**
 * CometBFT's weighted round-robin proposer priorities, bit-exact: int64 arithmetic that clips instead of
 * wrapping, rescaling into a window of 2·P, centring on the Euclidean (floor) average, and ties broken by
 * the lexicographically smaller address. Every node must pick the same proposer for (height, round), and
 * staying exact with CometBFT lets its test vectors check us.
 */
import { compareBytes } from '../../codec/bytes.ts';

/** Largest int64. */
export const INT64_MAX = (1n << 63n) - 1n;
/** Smallest int64. */
export const INT64_MIN = -(1n << 63n);
/** Priorities are kept within a window of this many times the total power. */
export const PRIORITY_WINDOW_SIZE_FACTOR = 2n;
/** Largest total voting power a set may have, so priority sums cannot overflow. */
export const MAX_TOTAL_VOTING_POWER = INT64_MAX / 8n;

/** A validator slot as priority arithmetic needs it (mutated in place on a private copy). */
export interface PrioritySlot {
  /** Address used for tie-breaks (we use the consensus public key bytes). */
  readonly address: Uint8Array;
  readonly power: bigint;
  priority: bigint;
}

/** int64 addition that saturates at the bounds (Go's safeAddClip). */
export function addClip(a: bigint, b: bigint): bigint {
  const s = a + b;
  return s > INT64_MAX ? INT64_MAX : s < INT64_MIN ? INT64_MIN : s;
}

/** int64 subtraction that saturates at the bounds (Go's safeSubClip). */
export function subClip(a: bigint, b: bigint): bigint {
  return addClip(a, -b);
}

/** Floor division for a positive divisor (Go big.Int.Div is Euclidean; JS `/` truncates). */
export function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n ? q - 1n : q;
}

/** Divides priorities so max − min fits in `diffMax` (Go int64 `/`, truncating toward zero). */
export function rescalePriorities(slots: PrioritySlot[], diffMax: bigint): void {
  if (slots.length === 0 || diffMax <= 0n) return;
  let max = slots[0]!.priority;
  let min = max;
  for (const s of slots) {
    if (s.priority > max) max = s.priority;
    if (s.priority < min) min = s.priority;
  }
  const diff = max - min;
  if (diff <= diffMax) return;
  const ratio = (diff + diffMax - 1n) / diffMax;
  for (const s of slots) s.priority = s.priority / ratio;
}

/** Subtracts the floor average priority from every slot. */
export function centrePriorities(slots: PrioritySlot[]): void {
  if (slots.length === 0) return;
  let sum = 0n;
  for (const s of slots) sum += s.priority;
  const avg = floorDiv(sum, BigInt(slots.length));
  for (const s of slots) s.priority = subClip(s.priority, avg);
}

/** The slot with the highest priority; ties go to the smaller address. */
export function highestPriority<T extends PrioritySlot>(slots: readonly T[]): T {
  let best = slots[0]!;
  for (const s of slots) {
    if (
      s.priority > best.priority ||
      (s.priority === best.priority && compareBytes(s.address, best.address) < 0)
    ) {
      best = s;
    }
  }
  return best;
}

/**
 * CometBFT's IncrementProposerPriority(times): rescale and centre once, then `times` rounds of
 * "everyone gains their power, the leader pays the total". Returns the last leader (the proposer).
 * `normalise = false` skips the rescale and centre, to continue a sequence already normalised.
 */
export function incrementPriorities<T extends PrioritySlot>(
  slots: T[],
  totalPower: bigint,
  times: number,
  normalise = true,
): T {
  if (slots.length === 0) throw new RangeError('empty validator set has no proposer');
  if (times < 1) throw new RangeError('times must be at least 1');
  if (normalise) {
    rescalePriorities(slots, PRIORITY_WINDOW_SIZE_FACTOR * totalPower);
    centrePriorities(slots);
  }
  let proposer = slots[0]!;
  for (let i = 0; i < times; i++) {
    for (const s of slots) s.priority = addClip(s.priority, s.power);
    proposer = highestPriority(slots);
    proposer.priority = subClip(proposer.priority, totalPower);
  }
  return proposer;
}
