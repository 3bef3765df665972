/**
 * The last-sign state in one small file of two slots, so that each save is one in-place write and one
 * `fdatasync` (a save sits on the path of every vote, and a temp file + fsync + rename + directory fsync
 * cost four disk round trips). Layout: `SIGN_STATE_MAGIC`, then two slots of `SIGN_STATE_SLOT_BYTES`, each
 * `[u32 big-endian length][SHA-256 of the record][record]` where the record is `encodeSignState`. Saves
 * alternate between the slots, so the slot being written never holds the newest durable state: a crash
 * mid-write leaves that slot failing its hash and the other one intact. Load takes the highest position
 * among the valid slots.
 *
 * The file itself is (re)created by the first save of each store object, or when it was removed: written
 * to a temp file (mode 0600), fsynced, renamed over the old one, directory fsynced. That also moves a file
 * of the earlier format (a bare `encodeSignState` record, still loaded) to this one. A leftover temp file
 * never counts (it is removed on load): a signature is released only after the rename is durable.
 */
import { createHash } from 'node:crypto';
import {
  closeSync,
  fdatasyncSync,
  fstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { bytesEqual } from '../../codec/bytes.ts';
import { fsyncDirectory, writeFileDurably, writeFully } from '../../durable_fs.ts';
import { comparePositions } from './check.ts';
import { PrivvalErrors } from './errors.ts';
import { decodeSignState, encodeSignState, MAX_SIGN_BYTES, type SignState } from './sign_state.ts';
import type { SignStateStore } from './store.ts';

/** First bytes of a slotted sign-state file. */
export const SIGN_STATE_MAGIC = new TextEncoder().encode('oasis-ts/sign-state/2\n');
/** Largest encoded record a slot holds (the sign bytes limit plus room for the other fields). */
const MAX_RECORD_BYTES = MAX_SIGN_BYTES + 1024;
const SLOT_HEADER_BYTES = 4 + 32;
/** Bytes of one slot. */
export const SIGN_STATE_SLOT_BYTES = SLOT_HEADER_BYTES + MAX_RECORD_BYTES;

/** File offset of slot 0 or 1. */
export function signStateSlotOffset(slot: 0 | 1): number {
  return SIGN_STATE_MAGIC.length + slot * SIGN_STATE_SLOT_BYTES;
}

function encodeSlot(state: SignState): Uint8Array {
  const record = encodeSignState(state);
  if (record.length > MAX_RECORD_BYTES) throw new RangeError(`sign state of ${record.length} bytes`);
  const slot = new Uint8Array(SLOT_HEADER_BYTES + record.length);
  new DataView(slot.buffer).setUint32(0, record.length);
  slot.set(createHash('sha256').update(record).digest(), 4);
  slot.set(record, SLOT_HEADER_BYTES);
  return slot;
}

/** The state in a slot, or undefined when the slot is empty or torn (length or hash do not match). */
function decodeSlot(file: Uint8Array, slot: 0 | 1): SignState | undefined {
  const at = signStateSlotOffset(slot);
  if (file.length < at + SLOT_HEADER_BYTES) return undefined;
  const length = new DataView(file.buffer, file.byteOffset + at, 4).getUint32(0);
  if (length === 0 || length > MAX_RECORD_BYTES || file.length < at + SLOT_HEADER_BYTES + length)
    return undefined;
  const record = file.subarray(at + SLOT_HEADER_BYTES, at + SLOT_HEADER_BYTES + length);
  const hash = createHash('sha256').update(record).digest();
  if (!bytesEqual(hash, file.subarray(at + 4, at + SLOT_HEADER_BYTES))) return undefined;
  return decodeSignState(record);
}

/** A `SignStateStore` in one two-slot file (see the header). */
export class FileSignStateStore implements SignStateStore {
  /** Path of the state file. */
  readonly path: string;
  #fd: number | undefined;
  #nextSlot: 0 | 1 = 0;

  /** Stores the state at `path` (its directory is created, mode 0700, when missing). */
  constructor(path: string) {
    this.path = path;
  }

  /** Path of the temp file the first save writes before renaming. */
  get tempPath(): string {
    return `${this.path}.tmp`;
  }

  /** The persisted state; undefined when the file does not exist. Throws on an unreadable file. */
  async load(): Promise<SignState | undefined> {
    rmSync(this.tempPath, { force: true });
    let data: Buffer;
    try {
      data = readFileSync(this.path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw PrivvalErrors.unreadableState(this.path, (err as Error).message);
    }
    try {
      if (!bytesEqual(data.subarray(0, SIGN_STATE_MAGIC.length), SIGN_STATE_MAGIC))
        return decodeSignState(data);
      const states = [decodeSlot(data, 0), decodeSlot(data, 1)].filter((s) => s !== undefined);
      if (states.length === 0) throw new Error('no slot holds a whole state');
      return states.reduce((a, b) => (comparePositions(b, a) > 0 ? b : a));
    } catch (err) {
      throw PrivvalErrors.unreadableState(this.path, (err as Error).message);
    }
  }

  /** Durably records the state; resolves only once it would survive a crash. */
  async save(state: SignState): Promise<void> {
    const slot = encodeSlot(state);
    if (this.#fd !== undefined && fstatSync(this.#fd).nlink === 0) {
      // The file was removed under us: writing into the open, unlinked file would persist nothing.
      closeSync(this.#fd);
      this.#fd = undefined;
    }
    if (this.#fd === undefined) {
      this.#create(slot);
      this.#fd = openSync(this.path, 'r+');
      this.#nextSlot = 1;
      return;
    }
    writeFully(this.#fd, slot, signStateSlotOffset(this.#nextSlot));
    fdatasyncSync(this.#fd);
    this.#nextSlot = this.#nextSlot === 0 ? 1 : 0;
  }

  /** Replaces the file with a new one holding `slot0` in slot 0 and an empty slot 1. */
  #create(slot0: Uint8Array): void {
    const dir = dirname(this.path);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = new Uint8Array(SIGN_STATE_MAGIC.length + 2 * SIGN_STATE_SLOT_BYTES);
    file.set(SIGN_STATE_MAGIC, 0);
    file.set(slot0, signStateSlotOffset(0));
    rmSync(this.tempPath, { force: true });
    writeFileDurably(this.tempPath, file, { mode: 0o600, flag: 'wx' });
    renameSync(this.tempPath, this.path);
    fsyncDirectory(dir);
  }
}
