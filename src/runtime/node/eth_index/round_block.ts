/**
 * One runtime round as an Ethereum block, the way oasis-web3-gateway indexes it: the round is the block
 * number and the runtime header hash the block hash; only raw Ethereum transactions (`evm.ethereum.v0`)
 * that ran (were charged gas) count as transactions, numbered among themselves; a receipt's status is the runtime call's success, its
 * gas used the `core.GasUsed` event, its effective price the fee paid over the gas used, and its logs the
 * `evm.Log` events, numbered across the whole block.
 */
import type { Common } from '@ethereumjs/common';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesEqual, toHex } from '../../../codec/bytes.ts';
import { type CborValue, decodeCanonical } from '../../../codec/cbor.ts';
import { quantityFromBytes } from '../../../codec/quantity.ts';
import { type Block, headerHash } from '../../../services/roothash/api/block.ts';
import { unwrapEthereumTx } from '../../protocol/eth_envelope.ts';
import { eventKey } from '../../protocol/events.ts';
import { FEE_ACCUMULATOR_ADDRESS } from '../../protocol/module_addresses.ts';
import type { TransactionWithResult } from '../client/api.ts';
import type { EthBlockRecord, EthLog, EthTransactionRecord } from '../client/eth_index.ts';
import { decodeEthTransactionFields, ethDecodingCommon } from '../client/eth_tx_fields.ts';
import { BLOOM_BYTES, bloomMerge, logsBloom } from './bloom.ts';

/** keccak256(rlp([])): the root of an empty trie (blocks without Ethereum transactions). */
export const EMPTY_TRIE_ROOT = keccak_256(Uint8Array.of(0xc0));

const LOG_KEY = toHex(eventKey('evm', 1));
const GAS_USED_KEY = toHex(eventKey('core', 1));
const TRANSFER_KEY = toHex(eventKey('accounts', 1));

/** What a round becomes: the block and its Ethereum transactions (with receipts and logs). */
export interface EthRound {
  block: EthBlockRecord;
  transactions: EthTransactionRecord[];
}

/** Converts rounds of one EVM ParaTime (its chain ID and gas ceiling). */
export class RoundConverter {
  readonly #common: Common;
  readonly #gasLimit: bigint;

  constructor(chainId: bigint, gasLimit: bigint) {
    this.#common = ethDecodingCommon(chainId);
    this.#gasLimit = gasLimit;
  }

  /** The Ethereum block of a runtime block and the transactions (with results) it executed. */
  convert(runtimeBlock: Block, txs: readonly TransactionWithResult[]): EthRound {
    const h = runtimeBlock.header;
    const hash = headerHash(h);
    const transactions: EthTransactionRecord[] = [];
    let cumulative = 0n;
    let logIndex = 0;
    for (const t of txs) {
      const raw = unwrapEthereumTx(t.tx);
      if (raw === null) continue;
      const record = this.#transaction(raw, t, h.round, hash, transactions.length, cumulative, logIndex);
      if (record === null) continue;
      cumulative = record.cumulativeGasUsed;
      logIndex += record.logs.length;
      transactions.push(record);
    }
    const bloom = new Uint8Array(BLOOM_BYTES);
    for (const t of transactions) bloomMerge(bloom, t.logsBloom);
    return {
      block: {
        number: h.round,
        hash,
        parentHash: h.previous_hash,
        timestamp: h.timestamp,
        stateRoot: h.state_root,
        transactionsRoot: transactions.length > 0 ? h.io_root : EMPTY_TRIE_ROOT,
        gasLimit: this.#gasLimit,
        gasUsed: cumulative,
        logsBloom: bloom,
        transactions: transactions.map((t) => t.hash),
      },
      transactions,
    };
  }

  #transaction(
    raw: Uint8Array,
    t: TransactionWithResult,
    round: bigint,
    blockHash: Uint8Array,
    index: number,
    cumulativeBefore: bigint,
    firstLogIndex: number,
  ): EthTransactionRecord | null {
    const fields = decodeEthTransactionFields(raw, this.#common);
    // The runtime refused it too (its result says why); it is no Ethereum transaction.
    if (fields === null) return null;
    const events = eventBodies(t);
    // Refused before it ran (a stale copy of an executed transaction, a nonce gap): it paid and changed
    // nothing, so it is not part of the block (and must not shadow the copy that did run).
    if (events.gasUsed === undefined) return null;
    const ok = callOk(t.result);
    const gasUsed = events.gasUsed;
    const logs: EthLog[] = events.logs.map((l, i) => ({
      ...l,
      blockNumber: round,
      blockHash,
      transactionHash: fields.hash,
      transactionIndex: index,
      logIndex: firstLogIndex + i,
    }));
    const created =
      fields.to === undefined && ok.ok && ok.value instanceof Uint8Array && ok.value.length === 20;
    return {
      ...fields,
      blockNumber: round,
      blockHash,
      index,
      status: ok.ok ? 1 : 0,
      gasUsed,
      cumulativeGasUsed: cumulativeBefore + gasUsed,
      effectiveGasPrice: gasUsed > 0n && events.feePaid > 0n ? events.feePaid / gasUsed : fields.gasPrice,
      ...(created ? { contractAddress: ok.value as Uint8Array } : {}),
      logs,
      logsBloom: logsBloom(logs),
    };
  }
}

function callOk(result: Uint8Array): { ok: boolean; value?: CborValue } {
  try {
    const r = decodeCanonical(result) as Record<string, CborValue>;
    return r !== null && typeof r === 'object' && 'ok' in r ? { ok: true, value: r.ok } : { ok: false };
  } catch {
    return { ok: false };
  }
}

interface TxEvents {
  logs: Array<{ address: Uint8Array; topics: Uint8Array[]; data: Uint8Array }>;
  gasUsed?: bigint;
  feePaid: bigint;
}

/** The logs, gas used and fee of a transaction from its event tags (malformed bodies are skipped). */
function eventBodies(t: TransactionWithResult): TxEvents {
  const out: TxEvents = { logs: [], feePaid: 0n };
  for (const e of t.events) {
    let bodies: unknown;
    try {
      bodies = decodeCanonical(e.value);
    } catch {
      continue;
    }
    if (!Array.isArray(bodies)) continue;
    const key = toHex(e.key);
    for (const b of bodies as Array<Record<string, unknown>>) {
      if (b === null || typeof b !== 'object') continue;
      if (
        key === LOG_KEY &&
        b.address instanceof Uint8Array &&
        b.data instanceof Uint8Array &&
        Array.isArray(b.topics)
      )
        out.logs.push({ address: b.address, topics: b.topics as Uint8Array[], data: b.data });
      else if (key === GAS_USED_KEY && (typeof b.amount === 'number' || typeof b.amount === 'bigint'))
        out.gasUsed = BigInt(b.amount);
      else if (
        key === TRANSFER_KEY &&
        b.to instanceof Uint8Array &&
        bytesEqual(b.to, FEE_ACCUMULATOR_ADDRESS)
      ) {
        const amount = b.amount as [Uint8Array, Uint8Array] | undefined;
        if (Array.isArray(amount) && amount[0] instanceof Uint8Array && amount[1]?.length === 0)
          out.feePaid += quantityFromBytes(amount[0]);
      }
    }
  }
  return out;
}
