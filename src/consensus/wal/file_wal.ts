/**
 * The consensus WAL on disk: append-only segment files of CRC-framed records in one directory.
 *
 * Durability, exactly:
 * - `write` only buffers in memory (handed to the OS once the buffer passes `bufferBytes`); a crash, even
 *   of the process alone, may lose it.
 * - `writeSync`, `flush` and `endHeight` write every buffered byte and return only after `fdatasync`: the
 *   records are then on stable storage. They run synchronously (the event loop waits for the disk).
 * - New segment files are created with mode 0600 and their directory is fsynced before use.
 * - `open` truncates a torn tail (the remains of an interrupted unsynced append) with a warning, and
 *   refuses to start on corruption before the tail (`consensus/wal` code 1) unless `repair` is set.
 * - Rotation happens only at `endHeight`: once the active segment passes `segmentBytes`, a new segment is
 *   started with a copy of that marker, synced, and older segments are deleted. A single height may grow a
 *   segment up to `maxSegmentBytes`; beyond that writes fail with code 3.
 * - A write or sync failure throws code 5, and from then on the log refuses all use (code 4): what reached
 *   the disk is unknown, and appending after a torn frame would turn it into corruption in the middle.
 * - One process at a time: nothing here locks the directory (the node's data-dir lock must cover it).
 */
import { closeSync, fdatasyncSync, ftruncateSync, mkdirSync, openSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { fsyncDirectory, writeFully } from '../../durable_fs.ts';
import type { ConsensusWal } from '../api/durability.ts';
import { WalErrors } from './errors.ts';
import { checkMarkerHeight, checkRecordSize, encodeFrame, type WalEntry } from './record.ts';
import { recordsAfterEndHeight } from './replay.ts';
import { listSegments, type SegmentFile, scanSegmentFile, segmentName } from './segment.ts';

/** Tuning and hooks of a file WAL. */
export interface FileWalOptions {
  /** Rotate at the next `endHeight` once the active segment is this large (default 16 MiB). */
  segmentBytes?: number;
  /** Hard cap of one segment; writes beyond it fail (default 256 MiB). */
  maxSegmentBytes?: number;
  /** `write` hands its buffer to the OS once it holds this many bytes (default 64 KiB). */
  bufferBytes?: number;
  /** Receives warnings (torn tail truncated); defaults to `process.emitWarning`. */
  warn?: (message: string) => void;
  /** Operator repair: cut the last segment at its first bad frame even when data follows it. */
  repair?: boolean;
}

type SizeOptions = Required<Pick<FileWalOptions, 'segmentBytes' | 'maxSegmentBytes' | 'bufferBytes'>>;

const DEFAULTS: SizeOptions = {
  segmentBytes: 16 * 1024 * 1024,
  maxSegmentBytes: 256 * 1024 * 1024,
  bufferBytes: 64 * 1024,
};

/** A write-ahead log of consensus inputs in a directory of segment files. */
export class FileWal implements ConsensusWal {
  readonly #dir: string;
  readonly #opts: SizeOptions;
  #segment: SegmentFile;
  #fd: number;
  /** Bytes of the active segment handed to the OS. */
  #size: number;
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;
  /** Why the log refuses further use (closed or failed); undefined while usable. */
  #unusable: string | undefined;

  private constructor(dir: string, opts: SizeOptions, segment: SegmentFile, fd: number, size: number) {
    this.#dir = dir;
    this.#opts = opts;
    this.#segment = segment;
    this.#fd = fd;
    this.#size = size;
  }

  /** Opens (creating if needed) the WAL in `dir`, truncating a torn tail left by a crash. */
  static async open(dir: string, options: FileWalOptions = {}): Promise<FileWal> {
    const opts: SizeOptions = {
      segmentBytes: options.segmentBytes ?? DEFAULTS.segmentBytes,
      maxSegmentBytes: options.maxSegmentBytes ?? DEFAULTS.maxSegmentBytes,
      bufferBytes: options.bufferBytes ?? DEFAULTS.bufferBytes,
    };
    const warn = options.warn ?? ((m: string) => process.emitWarning(m, 'ConsensusWalWarning'));
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const segments = listSegments(dir);
    const last = segments.pop();
    // Older segments were synced before the rotation that followed them: any bad frame is corruption.
    for (const seg of segments) scanSegmentFile(seg.path);
    if (last === undefined) {
      const segment = { seq: 1, path: join(dir, segmentName(1)) };
      const fd = openSync(segment.path, 'wx', 0o600);
      fsyncDirectory(dir);
      return new FileWal(dir, opts, segment, fd, 0);
    }
    const scan = scanSegmentFile(last.path, options.repair === true);
    const fd = openSync(last.path, 'r+');
    if (scan.tailProblem !== undefined) {
      warn(`WAL ${last.path}: truncating torn tail at offset ${scan.validEnd} (${scan.tailProblem})`);
      ftruncateSync(fd, scan.validEnd);
      fdatasyncSync(fd);
    }
    return new FileWal(dir, opts, last, fd, scan.validEnd);
  }

  /** Appends a record to the buffer; durable only after the next sync. */
  write(record: Uint8Array): void {
    this.#append({ kind: 'record', data: record });
  }

  /** Appends a record and returns once it and everything before it are on stable storage. */
  async writeSync(record: Uint8Array): Promise<void> {
    this.write(record);
    this.#sync();
  }

  /** Returns once everything written so far is on stable storage. */
  async flush(): Promise<void> {
    this.#sync();
  }

  /** Durably marks `height` finished; may rotate to a new segment. */
  async endHeight(height: number): Promise<void> {
    this.#endHeightDurably(height);
  }

  /** Marks `height` finished, durable with the next sync; a marker that rotates the log is synced at once. */
  markEndHeight(height: number): void {
    checkMarkerHeight(height);
    if (this.#size + this.#pendingBytes >= this.#opts.segmentBytes) {
      this.#endHeightDurably(height);
      return;
    }
    this.#append({ kind: 'endHeight', height });
  }

  #endHeightDurably(height: number): void {
    checkMarkerHeight(height);
    this.#append({ kind: 'endHeight', height });
    this.#sync();
    if (this.#size >= this.#opts.segmentBytes) this.#rotate(height);
  }

  /** Records after the last `endHeight(height)` marker (buffered records included). */
  async readAfterEndHeight(height: number): Promise<{ found: boolean; records: Uint8Array[] }> {
    this.#checkUsable();
    this.#writeOut();
    return recordsAfterEndHeight(this.#entries(), height);
  }

  /** Syncs and releases the file; further calls fail. */
  async close(): Promise<void> {
    if (this.#unusable === 'closed') return;
    try {
      if (this.#unusable === undefined) this.#sync();
    } finally {
      this.#unusable = 'closed';
      closeSync(this.#fd);
    }
  }

  *#entries(): Generator<WalEntry> {
    for (const seg of listSegments(this.#dir)) yield* scanSegmentFile(seg.path).entries;
  }

  #checkUsable(): void {
    if (this.#unusable !== undefined) throw WalErrors.unusable(this.#unusable);
  }

  #append(entry: WalEntry): void {
    this.#checkUsable();
    if (entry.kind === 'record') checkRecordSize(entry.data);
    const frame = encodeFrame(entry);
    if (this.#size + this.#pendingBytes + frame.length > this.#opts.maxSegmentBytes) {
      throw WalErrors.segmentFull(`${this.#segment.path} would pass ${this.#opts.maxSegmentBytes} bytes`);
    }
    this.#pending.push(frame);
    this.#pendingBytes += frame.length;
    if (this.#pendingBytes >= this.#opts.bufferBytes) this.#writeOut();
  }

  /** Runs an I/O step; on failure the log becomes unusable, since what reached the disk is unknown. */
  #guardIo<T>(step: string, io: () => T): T {
    try {
      return io();
    } catch (err) {
      this.#unusable = `${step} failed: ${(err as Error).message}`;
      try {
        ftruncateSync(this.#fd, this.#size);
      } catch {
        // Best effort: open() will treat a partial frame as a torn tail anyway.
      }
      throw WalErrors.io(this.#unusable);
    }
  }

  #writeOut(): void {
    if (this.#pendingBytes === 0) return;
    const data = this.#pending.length === 1 ? this.#pending[0]! : Buffer.concat(this.#pending);
    this.#guardIo('write', () => writeFully(this.#fd, data, this.#size));
    this.#size += data.length;
    this.#pending = [];
    this.#pendingBytes = 0;
  }

  #sync(): void {
    this.#checkUsable();
    this.#writeOut();
    this.#guardIo('fdatasync', () => fdatasyncSync(this.#fd));
  }

  /** Starts a new segment holding a copy of the `height` marker, then drops the older ones. */
  #rotate(height: number): void {
    const next = { seq: this.#segment.seq + 1, path: join(this.#dir, segmentName(this.#segment.seq + 1)) };
    const marker = encodeFrame({ kind: 'endHeight', height });
    const fd = this.#guardIo('rotate', () => {
      const created = openSync(next.path, 'wx', 0o600);
      writeFully(created, marker, 0);
      fdatasyncSync(created);
      fsyncDirectory(this.#dir);
      return created;
    });
    closeSync(this.#fd);
    this.#fd = fd;
    this.#segment = next;
    this.#size = marker.length;
    for (const seg of listSegments(this.#dir)) if (seg.seq < next.seq) unlinkSync(seg.path);
    fsyncDirectory(this.#dir);
  }
}
