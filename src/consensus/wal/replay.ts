/** The replay query both WAL implementations answer the same way, over their entries in write order. */
import type { WalEntry } from './record.ts';

/**
 * Records after the last `endHeight(height)` marker, up to the next marker of any height (those records
 * belong to a later height) or the end. `found` is false when no marker for `height` exists.
 */
export function recordsAfterEndHeight(
  entries: Iterable<WalEntry>,
  height: number,
): { found: boolean; records: Uint8Array[] } {
  let found = false;
  let collecting = false;
  let records: Uint8Array[] = [];
  for (const entry of entries) {
    if (entry.kind === 'endHeight') {
      if (entry.height === height) {
        found = true;
        collecting = true;
        records = [];
      } else {
        collecting = false;
      }
    } else if (collecting) {
      records.push(entry.data);
    }
  }
  return { found, records };
}
