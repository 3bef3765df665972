/**
 * The Ethereum index of one EVM ParaTime in LMDB: blocks by number and by hash, transactions (with
 * receipts) by hash, and every log under its position (block, log index) and again under its address and
 * each topic (with the topic's position), so `eth_getLogs` reads only the keys of the addresses and
 * topics it asks for over its block range, and loads just the logs in all of them. A round is written in
 * one transaction: a reader sees all of it or none, and the head moves only then.
 */
import { concatBytes, toHex, u64be } from '../../../codec/bytes.ts';
import {
  asKey,
  type BinaryDb,
  type LmdbEnv,
  openBinaryDb,
  openLmdbEnv,
  writeDurably,
} from '../../../storage/lmdb.ts';
import type {
  EthBlockRecord,
  EthIndexReader,
  EthLog,
  EthLogQuery,
  EthTransactionRecord,
} from '../client/eth_index.ts';
import { blockCodec, decodeRecord, encodeRecord, logCodec, transactionCodec } from './records.ts';
import type { EthRound } from './round_block.ts';

const EMPTY = Buffer.alloc(0);

function u32be(n: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, n);
  return b;
}

/** Key suffix of a log's position. */
const position = (round: bigint, logIndex: number) => concatBytes(u64be(round), u32be(logIndex));

/** One EVM ParaTime's Ethereum index. */
export class EthIndexStore implements EthIndexReader {
  readonly #env: LmdbEnv;
  readonly #blocks: BinaryDb;
  readonly #hashes: BinaryDb;
  readonly #txs: BinaryDb;
  readonly #logs: BinaryDb;
  readonly #byAddress: BinaryDb;
  readonly #byTopic: BinaryDb;
  readonly #watchers = new Set<(b: EthBlockRecord) => void>();
  #head: bigint | undefined;

  private constructor(env: LmdbEnv) {
    this.#env = env;
    this.#blocks = openBinaryDb(env, 'blocks');
    this.#hashes = openBinaryDb(env, 'block_hashes');
    this.#txs = openBinaryDb(env, 'txs');
    this.#logs = openBinaryDb(env, 'logs');
    this.#byAddress = openBinaryDb(env, 'logs_by_address');
    this.#byTopic = openBinaryDb(env, 'logs_by_topic');
    for (const { key } of this.#blocks.getRange({ reverse: true, limit: 1 }))
      this.#head = Buffer.from(key).readBigUInt64BE(0);
  }

  /** Opens (or creates) the index in `dir`. */
  static open(dir: string): EthIndexStore {
    return new EthIndexStore(openLmdbEnv(dir, { mapSize: 256 * 1024 ** 2, maxDbs: 8 }));
  }

  /** Adds a round (idempotent; rounds must come in increasing order). */
  async put(round: EthRound): Promise<void> {
    const { block, transactions } = round;
    if (this.#head !== undefined && block.number <= this.#head) return;
    await writeDurably(this.#env, () => {
      this.#blocks.putSync(asKey(u64be(block.number)), encodeRecord(blockCodec, block));
      this.#hashes.putSync(asKey(block.hash), asKey(u64be(block.number)));
      for (const tx of transactions) {
        this.#txs.putSync(asKey(tx.hash), encodeRecord(transactionCodec, tx));
        for (const log of tx.logs) {
          const at = position(log.blockNumber, log.logIndex);
          this.#logs.putSync(asKey(at), encodeRecord(logCodec, log));
          this.#byAddress.putSync(asKey(concatBytes(log.address, at)), EMPTY);
          log.topics.forEach((topic, i) => {
            this.#byTopic.putSync(asKey(concatBytes(Uint8Array.of(i), topic, at)), EMPTY);
          });
        }
      }
    });
    this.#head = block.number;
    for (const w of this.#watchers) w(block);
  }

  head(): bigint | undefined {
    return this.#head;
  }

  earliest(): bigint | undefined {
    for (const { key } of this.#blocks.getRange({ limit: 1 })) return Buffer.from(key).readBigUInt64BE(0);
    return undefined;
  }

  blockByNumber(n: bigint): EthBlockRecord | undefined {
    if (n < 0n || n >= 1n << 64n) return undefined;
    const raw = this.#blocks.get(asKey(u64be(n)));
    return raw === undefined ? undefined : decodeRecord(blockCodec, raw, 'block');
  }

  blockByHash(hash: Uint8Array): EthBlockRecord | undefined {
    const n = this.#hashes.get(asKey(hash));
    return n === undefined ? undefined : this.blockByNumber(n.readBigUInt64BE(0));
  }

  transaction(hash: Uint8Array): EthTransactionRecord | undefined {
    const raw = this.#txs.get(asKey(hash));
    return raw === undefined ? undefined : decodeRecord(transactionCodec, raw, 'transaction');
  }

  logs(q: EthLogQuery, limit: number): EthLog[] {
    if (q.fromBlock > q.toBlock) return [];
    const from = position(q.fromBlock, 0);
    const to = position(q.toBlock + 1n, 0);
    // Positions of candidate logs: those in every index the query names (address, each topic position),
    // read as keys only; without any, every log in range.
    const sets: Uint8Array[][] = [];
    if (q.addresses.length > 0) sets.push(this.#positions(this.#byAddress, q.addresses, from, to));
    q.topics.forEach((want, i) => {
      if (want !== null && want !== undefined && want.length > 0) {
        const prefixes = want.map((t) => concatBytes(Uint8Array.of(i), t));
        sets.push(this.#positions(this.#byTopic, prefixes, from, to));
      }
    });
    let candidates: Uint8Array[];
    if (sets.length === 0) {
      candidates = [];
      for (const key of this.#logs.getKeys({ start: asKey(from), end: asKey(to) })) candidates.push(key);
    } else {
      sets.sort((a, b) => a.length - b.length);
      const others = sets.slice(1).map((set) => new Set(set.map(toHex)));
      candidates = sets[0]!.filter((at) => others.every((o) => o.has(toHex(at))));
    }
    const out: EthLog[] = [];
    for (const at of candidates) {
      const raw = this.#logs.get(asKey(at));
      if (raw === undefined) continue;
      const log = decodeRecord(logCodec, raw, 'log');
      if (!matches(log, q)) continue;
      out.push(log);
      if (out.length >= limit) break;
    }
    return out;
  }

  /** Sorted, de-duplicated log positions under any of `prefixes` within [from, to). */
  #positions(db: BinaryDb, prefixes: Uint8Array[], from: Uint8Array, to: Uint8Array): Uint8Array[] {
    const seen = new Map<string, Uint8Array>();
    for (const p of prefixes) {
      const range = { start: asKey(concatBytes(p, from)), end: asKey(concatBytes(p, to)) };
      for (const key of db.getKeys(range)) {
        const at = Uint8Array.prototype.slice.call(key, p.length);
        seen.set(toHex(at), at);
      }
    }
    return [...seen.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
  }

  watch(onBlock: (block: EthBlockRecord) => void): () => void {
    this.#watchers.add(onBlock);
    return () => this.#watchers.delete(onBlock);
  }

  /** Closes the store. */
  async close(): Promise<void> {
    this.#watchers.clear();
    await this.#env.flushed;
    await this.#env.close();
  }
}

/** Whether `log` satisfies the whole query (the index narrowed by one criterion only). */
export function matches(log: EthLog, q: EthLogQuery): boolean {
  if (log.blockNumber < q.fromBlock || log.blockNumber > q.toBlock) return false;
  if (q.addresses.length > 0 && !q.addresses.some((a) => toHex(a) === toHex(log.address))) return false;
  return q.topics.every((want, i) => {
    if (want === null || want === undefined || want.length === 0) return true;
    const got = log.topics[i];
    return got !== undefined && want.some((t) => toHex(t) === toHex(got));
  });
}
