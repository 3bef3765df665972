/**
 * The consensus WAL in memory, for the deterministic simulator: the same semantics as the file WAL, plus
 * `crash()`, which loses every entry not yet made durable (the worst case, a power loss; after a mere
 * process crash the file WAL may keep some unsynced bytes it had already handed to the OS), and
 * `reopen()`, which gives the restarted node a fresh handle on what survived. The object itself plays the
 * disk and is kept by the simulator across restarts; each handle plays one process's open file.
 */
import type { ConsensusWal } from '../api/durability.ts';
import { WalErrors } from './errors.ts';
import { checkMarkerHeight, checkRecordSize, type WalEntry } from './record.ts';
import { recordsAfterEndHeight } from './replay.ts';

/** What survives a crash: the entries, and how many of them are durable. */
interface MemoryDisk {
  entries: WalEntry[];
  durable: number;
  /** Incremented by every crash or reopen; a handle from an older generation is dead. */
  generation: number;
}

/** An in-memory `ConsensusWal` whose unsynced tail a simulated crash destroys. */
export class MemoryWal implements ConsensusWal {
  readonly #disk: MemoryDisk;
  readonly #generation: number;
  #closed = false;

  /** A new, empty log (its first handle); pass nothing. */
  constructor(disk?: MemoryDisk) {
    this.#disk = disk ?? { entries: [], durable: 0, generation: 0 };
    this.#generation = this.#disk.generation;
  }

  /** Simulates a crash: drops every entry not yet durable and kills every open handle. */
  crash(): void {
    this.#disk.entries.length = this.#disk.durable;
    this.#disk.generation++;
  }

  /** A fresh handle on the surviving entries, as a restarted process would open the file; kills the others. */
  reopen(): MemoryWal {
    this.#disk.generation++;
    return new MemoryWal(this.#disk);
  }

  /** Number of entries that would survive a crash now (records and markers). */
  get durableEntryCount(): number {
    return this.#disk.durable;
  }

  /** Number of entries written, durable or not. */
  get entryCount(): number {
    return this.#disk.entries.length;
  }

  /** Appends a record; durable at the next sync. */
  write(record: Uint8Array): void {
    this.#checkUsable();
    checkRecordSize(record);
    this.#disk.entries.push({ kind: 'record', data: new Uint8Array(record) });
  }

  /** Appends a record and makes everything so far durable. */
  async writeSync(record: Uint8Array): Promise<void> {
    this.write(record);
    this.#sync();
  }

  /** Makes everything so far durable. */
  async flush(): Promise<void> {
    this.#sync();
  }

  /** Durably marks `height` finished. */
  async endHeight(height: number): Promise<void> {
    this.markEndHeight(height);
    this.#sync();
  }

  /** Marks `height` finished, durable with the next sync. */
  markEndHeight(height: number): void {
    this.#checkUsable();
    checkMarkerHeight(height);
    this.#disk.entries.push({ kind: 'endHeight', height });
  }

  /** Records after the last `endHeight(height)` marker (copies; unsynced ones included). */
  async readAfterEndHeight(height: number): Promise<{ found: boolean; records: Uint8Array[] }> {
    this.#checkUsable();
    const result = recordsAfterEndHeight(this.#disk.entries, height);
    return { found: result.found, records: result.records.map((r) => new Uint8Array(r)) };
  }

  /** Makes everything durable and closes this handle. */
  async close(): Promise<void> {
    if (this.#closed || this.#generation !== this.#disk.generation) return;
    this.#sync();
    this.#closed = true;
  }

  #sync(): void {
    this.#checkUsable();
    this.#disk.durable = this.#disk.entries.length;
  }

  #checkUsable(): void {
    if (this.#closed) throw WalErrors.unusable('closed');
    if (this.#generation !== this.#disk.generation) throw WalErrors.unusable('crashed or reopened');
  }
}
