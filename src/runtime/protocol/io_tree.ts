/**
 * The IO tree of a runtime batch, as executors commit to it (oasis-core `go/runtime/transaction`): each
 * transaction's input `[raw, batch index]` and output `[CBOR CallResult]` under `T || tx hash || kind`,
 * and its event tags (`E || key || tx hash`, events.ts). Executors write it (the runtime SDK); a node that
 * did not execute a round reads a finalized round's transactions and results back from it.
 */
import { compareBytes, concatBytes, toHex } from '../../codec/bytes.ts';
import { decodeCanonical, encodeCanonical } from '../../codec/cbor.ts';
import { CodecError } from '../../errors.ts';
import { eventTags, type RuntimeEvent } from './events.ts';
import type { WriteLogEntry } from './types.ts';

/** IO tree artifact kinds (oasis-core `go/runtime/transaction`). */
export const IoArtifact = Object.freeze({ input: 1, output: 2 });
const IO_TX_PREFIX = 0x54; // 'T'
const TX_HASH_BYTES = 32;

/** The transaction hash block events are tagged with (oasis-core `TagBlockTxHash`: all zeros). */
export const BLOCK_TX_HASH = new Uint8Array(32);

/**
 * The IO write log of a batch: input and output artifacts and event tags of every transaction, and the
 * block's own event tags, sorted by key.
 */
export function ioWriteLog(
  inputs: Uint8Array[],
  hashes: Uint8Array[],
  results: Uint8Array[],
  events: RuntimeEvent[][],
  blockEvents: RuntimeEvent[] = [],
): WriteLogEntry[] {
  const log: WriteLogEntry[] = [...eventTags(BLOCK_TX_HASH, blockEvents)];
  inputs.forEach((raw, i) => {
    log.push(...eventTags(hashes[i]!, events[i] ?? []));
    const key = (kind: number): Uint8Array =>
      concatBytes(Uint8Array.of(IO_TX_PREFIX), hashes[i]!, Uint8Array.of(kind));
    log.push([key(IoArtifact.input), encodeCanonical([raw, i])]);
    log.push([key(IoArtifact.output), encodeCanonical([results[i]!])]);
  });
  // Duplicate transactions in a batch map to the same keys; the last write wins as in the tree.
  return log.sort((a, b) => compareBytes(a[0], b[0]));
}

/** One transaction of a batch as its IO tree holds it. */
export interface IoTransaction {
  hash: Uint8Array;
  /** The raw transaction. */
  tx: Uint8Array;
  /** Its CBOR CallResult. */
  result: Uint8Array;
}

/**
 * The transactions of a batch in batch order, read back from its IO write log (the inverse of
 * `ioWriteLog`, events aside). A log whose artifacts do not form one input and one output per transaction
 * at the batch indices 0…n−1 is refused with a CodecError.
 */
export function ioTransactions(
  log: ReadonlyArray<readonly [Uint8Array, Uint8Array | null]>,
): IoTransaction[] {
  const byHash = new Map<
    string,
    { hash: Uint8Array; tx?: Uint8Array; index?: number; result?: Uint8Array }
  >();
  for (const [key, value] of log) {
    if (key[0] !== IO_TX_PREFIX || key.length !== TX_HASH_BYTES + 2) continue;
    const path = `io[${toHex(key)}]`;
    if (value === null) throw new CodecError(path, 'an IO artifact cannot be a deletion');
    const hash = key.subarray(1, 1 + TX_HASH_BYTES);
    const id = toHex(hash);
    const entry = byHash.get(id) ?? { hash: hash.slice() };
    byHash.set(id, entry);
    const artifact = decodeCanonical(value);
    if (key[key.length - 1] === IoArtifact.input) {
      if (!Array.isArray(artifact) || !(artifact[0] instanceof Uint8Array) || typeof artifact[1] !== 'number')
        throw new CodecError(path, 'expected an input artifact [raw, index]');
      entry.tx = artifact[0];
      entry.index = artifact[1];
    } else if (key[key.length - 1] === IoArtifact.output) {
      if (!Array.isArray(artifact) || !(artifact[0] instanceof Uint8Array))
        throw new CodecError(path, 'expected an output artifact [result]');
      entry.result = artifact[0];
    } else throw new CodecError(path, 'unknown IO artifact kind');
  }
  const out: IoTransaction[] = new Array(byHash.size);
  for (const { hash, tx, index, result } of byHash.values()) {
    if (tx === undefined || result === undefined || index === undefined)
      throw new CodecError(`io[${toHex(hash)}]`, 'a transaction needs both an input and an output');
    if (!Number.isInteger(index) || index < 0 || index >= out.length || out[index] !== undefined)
      throw new CodecError(`io[${toHex(hash)}]`, `batch index ${index} out of place`);
    out[index] = { hash, tx, result };
  }
  return out;
}
