/**
 * `eth_getLogs` over 10,000 blocks from the Ethereum index (never a test: numbers only). Fills an index in
 * LMDB with 10,000 blocks of one transaction and two logs each (100 contracts, 100 senders), then times
 * log queries across the whole range: by one contract address, by topic 0 and a sender topic, by a topic
 * at position 1 only (read through topic 0's index and filtered), and unfiltered up to 10,000 results.
 *
 * Run: node --import tsx --import ./src/polyfill.ts bench/runtime/eth_logs.bench.ts [blocks]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { u64be } from '../../src/codec/bytes.ts';
import type { EthLog, EthLogQuery, EthTransactionRecord } from '../../src/runtime/node/client/eth_index.ts';
import { logsBloom } from '../../src/runtime/node/eth_index/bloom.ts';
import { EthIndexStore } from '../../src/runtime/node/eth_index/store.ts';

const BLOCKS = BigInt(process.argv[2] ?? 10_000);
const CONTRACTS = 100;
const TRANSFER = keccak_256(new TextEncoder().encode('Transfer(address,address,uint256)'));
const APPROVAL = keccak_256(new TextEncoder().encode('Approval(address,address,uint256)'));
const contract = (i: number) => keccak_256(Uint8Array.of(1, i)).slice(12);
const sender = (i: number) =>
  Uint8Array.from([...new Uint8Array(12), ...keccak_256(Uint8Array.of(2, i)).slice(12)]);

function round(n: bigint) {
  const hash = keccak_256(u64be(n));
  const txHash = keccak_256(Uint8Array.of(3, ...u64be(n)));
  const i = Number(n % BigInt(CONTRACTS));
  const logs: EthLog[] = [TRANSFER, APPROVAL].map((topic0, k) => ({
    address: contract(i),
    topics: [topic0, sender(i), sender((i + 1) % CONTRACTS)],
    data: new Uint8Array(32),
    blockNumber: n,
    blockHash: hash,
    transactionHash: txHash,
    transactionIndex: 0,
    logIndex: k,
  }));
  const tx: EthTransactionRecord = {
    hash: txHash,
    blockNumber: n,
    blockHash: hash,
    index: 0,
    type: 0,
    chainId: 42260n,
    from: sender(i).slice(12),
    to: contract(i),
    nonce: n,
    gas: 100_000n,
    gasPrice: 1n,
    value: 0n,
    input: new Uint8Array(68),
    v: 84555n,
    r: 1n,
    s: 1n,
    status: 1,
    gasUsed: 50_000n,
    cumulativeGasUsed: 50_000n,
    effectiveGasPrice: 1n,
    logs,
    logsBloom: logsBloom(logs),
  };
  return {
    block: {
      number: n,
      hash,
      parentHash: keccak_256(u64be(n - 1n)),
      timestamp: n,
      stateRoot: hash,
      transactionsRoot: hash,
      gasLimit: 15_000_000n,
      gasUsed: 50_000n,
      logsBloom: tx.logsBloom,
      transactions: [txHash],
    },
    transactions: [tx],
  };
}

function time(label: string, q: EthLogQuery, limit = 10_000): void {
  const runs = 20;
  let found = 0;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < runs; i++) found = store.logs(q, limit).length;
  const ms = Number(process.hrtime.bigint() - t0) / 1e6 / runs;
  console.log(`${label.padEnd(52)} ${String(found).padStart(6)} logs  ${ms.toFixed(2)} ms`);
}

const dir = mkdtempSync(join(tmpdir(), 'oasis-ts-eth-logs-bench-'));
const store = EthIndexStore.open(dir);
try {
  const t0 = Date.now();
  for (let n = 0n; n < BLOCKS; n++) await store.put(round(n));
  console.log(`indexed ${BLOCKS} blocks in ${Date.now() - t0} ms`);
  const all: EthLogQuery = { fromBlock: 0n, toBlock: BLOCKS - 1n, addresses: [], topics: [] };
  time(`by one address over ${BLOCKS} blocks`, { ...all, addresses: [contract(7)] });
  time(`by topic 0 + topic 1 over ${BLOCKS} blocks`, { ...all, topics: [[TRANSFER], [sender(7)]] });
  time(`by topic 1 only over ${BLOCKS} blocks`, { ...all, topics: [null, [sender(7)]] });
  time(`unfiltered over ${BLOCKS} blocks (first 10,000)`, all);
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
