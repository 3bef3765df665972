/**
 * WAL segment files: naming, listing, and the scan that tells a torn tail (what a crash in the middle of an
 * unsynced write leaves, safe to cut off) from corruption before the tail (never safe to skip silently).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WalErrors } from './errors.ts';
import { decodePayload, FRAME_HEADER_SIZE, parseHeader, type WalEntry } from './record.ts';

const SEGMENT_NAME = /^wal\.(\d{10})$/;

/** File name of segment number `seq`. */
export function segmentName(seq: number): string {
  return `wal.${String(seq).padStart(10, '0')}`;
}

/** A segment file of a WAL directory. */
export interface SegmentFile {
  seq: number;
  path: string;
}

/** The WAL segments in `dir`, oldest first. */
export function listSegments(dir: string): SegmentFile[] {
  const out: SegmentFile[] = [];
  for (const name of readdirSync(dir)) {
    const m = SEGMENT_NAME.exec(name);
    if (m) out.push({ seq: Number(m[1]), path: join(dir, name) });
  }
  return out.sort((a, b) => a.seq - b.seq);
}

/** Result of scanning a segment: its entries, and where the valid prefix ends. */
export interface SegmentScan {
  entries: WalEntry[];
  /** Length of the prefix made of whole, valid frames. */
  validEnd: number;
  /** Why the bytes after `validEnd` were rejected (absent when the whole file is valid). */
  tailProblem?: string;
}

function allZero(bytes: Uint8Array): boolean {
  for (const b of bytes) if (b !== 0) return false;
  return true;
}

/**
 * Parses every frame of `data`. A bad frame counts as a torn tail, reported in `tailProblem`, when it can
 * only be the remains of an interrupted append: fewer than a header's bytes left, a frame running past the
 * end of the file, a CRC mismatch in the very last frame, or nothing but zero bytes from there on. Any
 * other bad frame has data after it and is corruption: with `allowCorruptTail` (operator repair) it is
 * treated as the tail too, otherwise `WalErrors.corrupt` is thrown naming the offset.
 */
export function scanSegmentBytes(data: Uint8Array, label: string, allowCorruptTail = false): SegmentScan {
  const entries: WalEntry[] = [];
  let pos = 0;
  while (pos < data.length) {
    const problem = frameAt(data, pos, entries);
    if (typeof problem === 'number') {
      pos = problem;
      continue;
    }
    if (problem.torn || allowCorruptTail) return { entries, validEnd: pos, tailProblem: problem.reason };
    throw WalErrors.corrupt(`${label} at offset ${pos}: ${problem.reason} (followed by more data)`);
  }
  return { entries, validEnd: pos };
}

/** Parses the frame at `pos` into `entries`; returns the next position or what is wrong with it. */
function frameAt(
  data: Uint8Array,
  pos: number,
  entries: WalEntry[],
): number | { torn: boolean; reason: string } {
  const rest = data.subarray(pos);
  if (rest.length < FRAME_HEADER_SIZE) return { torn: true, reason: `partial header (${rest.length} bytes)` };
  const header = parseHeader(rest);
  if (!header.ok) return { torn: allZero(rest), reason: header.reason };
  const end = FRAME_HEADER_SIZE + header.payloadLength;
  if (end > rest.length) {
    return { torn: true, reason: `partial record (${rest.length} of ${end} bytes)` };
  }
  const entry = decodePayload(rest.subarray(FRAME_HEADER_SIZE, end), header.crc);
  if (typeof entry === 'string') return { torn: end === rest.length || allZero(rest), reason: entry };
  entries.push(entry);
  return pos + end;
}

/** Reads and scans one segment file (see `scanSegmentBytes`). */
export function scanSegmentFile(path: string, allowCorruptTail = false): SegmentScan {
  return scanSegmentBytes(readFileSync(path), path, allowCorruptTail);
}
