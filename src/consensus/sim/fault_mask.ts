/**
 * Which drawn faults a simulation applies. A seed always draws its whole schedule; the mask only switches
 * parts of it off, so a failing seed can be shrunk to the fewest faults that still break it while every
 * remaining fault happens exactly as before.
 */

/** Fault kinds to leave out (absent or true: applied). */
export interface FaultMask {
  /** Message loss on links. */
  drops?: boolean;
  /** Message duplication. */
  duplicates?: boolean;
  /** Random link delays (and so reordering); off means every delivery takes 1 ms. */
  delays?: boolean;
  /** The partition of the chaos phase. */
  partition?: boolean;
  /** How many of the drawn crashes happen, in draw order (default all). */
  crashes?: number;
  /** Byzantine validators misbehave (off: they run honestly). */
  byzantine?: boolean;
  /** Node clock skew. */
  skew?: boolean;
}

/** The mask that applies everything. */
export const FULL_FAULTS: Readonly<FaultMask> = Object.freeze({});

/** Short text of what a mask leaves out (for traces and replay commands). */
export function describeMask(mask: FaultMask): string {
  const off = Object.entries(mask)
    .filter(([k, v]) => v === false || (k === 'crashes' && typeof v === 'number'))
    .map(([k, v]) => (k === 'crashes' ? `crashes≤${v}` : `no ${k}`));
  return off.length === 0 ? 'all faults' : off.join(', ');
}
