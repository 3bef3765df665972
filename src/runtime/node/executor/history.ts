/**
 * A runtime's history as one node saw it: every runtime block it observed in consensus state (with the
 * consensus height that finalized it) and, for the normal rounds whose batch it executed, the
 * transactions with their results. Kept in LMDB beside the runtime's state, so a restarted node still
 * answers for old rounds.
 */
import { u64be } from '../../../codec/bytes.ts';
import { decodeCanonical, encodeCanonical } from '../../../codec/cbor.ts';
import { arrayCodec, bytesCodec, field, structCodec, u64Codec, withDefault } from '../../../codec/typed.ts';
import { blockCodec } from '../../../services/roothash/api/block.ts';
import {
  asKey,
  type BinaryDb,
  type LmdbEnv,
  openBinaryDb,
  openLmdbEnv,
  writeAtomically,
} from '../../../storage/lmdb.ts';
import type { AnnotatedBlock, TransactionWithResult } from '../client/api.ts';

const blockRecordCodec = structCodec({ consensus_height: field(u64Codec), block: field(blockCodec) });
const eventCodec = structCodec({ key: field(bytesCodec()), value: field(bytesCodec()) });
const txRecordCodec = arrayCodec(
  structCodec({
    tx: field(bytesCodec()),
    result: field(bytesCodec()),
    events: field(
      withDefault(arrayCodec(eventCodec), () => []),
      true,
    ),
  }),
);

const roundKey = (round: bigint) => asKey(u64be(round));

/** Blocks and executed transactions of one runtime. */
export class RuntimeHistory {
  readonly #env: LmdbEnv;
  readonly #blocks: BinaryDb;
  readonly #txs: BinaryDb;
  #latest: AnnotatedBlock | undefined;

  private constructor(env: LmdbEnv) {
    this.#env = env;
    this.#blocks = openBinaryDb(env, 'blocks');
    this.#txs = openBinaryDb(env, 'txs');
    for (const { value } of this.#blocks.getRange({ reverse: true, limit: 1 }))
      this.#latest = decodeBlock(value);
  }

  /** Opens (or creates) the history in `dir`. */
  static open(dir: string): RuntimeHistory {
    return new RuntimeHistory(openLmdbEnv(dir, { mapSize: 256 * 1024 ** 2, maxDbs: 4 }));
  }

  /** The newest block recorded. */
  latest(): AnnotatedBlock | undefined {
    return this.#latest;
  }

  /** The block of `round`, when recorded. */
  block(round: bigint): AnnotatedBlock | undefined {
    const raw = this.#blocks.get(roundKey(round));
    return raw === undefined ? undefined : decodeBlock(raw);
  }

  /** The oldest block recorded. */
  earliest(): AnnotatedBlock | undefined {
    for (const { value } of this.#blocks.getRange({ limit: 1 })) return decodeBlock(value);
    return undefined;
  }

  /** Records a block (idempotent); with `txs` when this node executed its batch. */
  async record(b: AnnotatedBlock, txs?: TransactionWithResult[]): Promise<void> {
    const round = b.block.header.round;
    await writeAtomically(this.#env, () => {
      this.#blocks.putSync(
        roundKey(round),
        Buffer.from(
          encodeCanonical(blockRecordCodec.encode({ consensus_height: b.consensusHeight, block: b.block })),
        ),
      );
      if (txs !== undefined)
        this.#txs.putSync(roundKey(round), Buffer.from(encodeCanonical(txRecordCodec.encode(txs))));
    });
    if (this.#latest === undefined || round > this.#latest.block.header.round) this.#latest = b;
  }

  /** Transactions of `round` with results (empty when none ran or this node did not execute them). */
  transactions(round: bigint): TransactionWithResult[] {
    const raw = this.#txs.get(roundKey(round));
    return raw === undefined ? [] : txRecordCodec.decode(decodeCanonical(raw), 'txs');
  }

  /**
   * Deletes up to `limit` of the oldest rounds below `round` (blocks and transactions) in one transaction;
   * resolves with how many rounds went. What remains is always every recorded round from some round on,
   * so a crash between batches leaves a consistent history. `onStateRoot` sees the state root of each
   * round deleted (so the node can let go of that state too).
   */
  async pruneBefore(round: bigint, limit: number, onStateRoot?: (root: Uint8Array) => void): Promise<number> {
    const doomed = [...this.#blocks.getKeys({ end: roundKey(round), limit })].map((k) => Buffer.from(k));
    if (doomed.length === 0) return 0;
    if (onStateRoot !== undefined)
      for (const key of doomed) {
        const raw = this.#blocks.get(key);
        if (raw !== undefined) onStateRoot(decodeBlock(raw).block.header.state_root);
      }
    await writeAtomically(this.#env, () => {
      for (const key of doomed) {
        this.#blocks.removeSync(key);
        this.#txs.removeSync(key);
      }
    });
    return doomed.length;
  }

  /** Closes the store. */
  async close(): Promise<void> {
    await this.#env.flushed;
    await this.#env.close();
  }
}

function decodeBlock(raw: Buffer): AnnotatedBlock {
  const r = blockRecordCodec.decode(decodeCanonical(raw), 'block');
  return { consensusHeight: r.consensus_height, block: r.block };
}
