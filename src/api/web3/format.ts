/**
 * Blocks, transactions, receipts and logs in the JSON shapes ethers v6 and oasis-web3-gateway use. A block
 * has no `baseFeePerGas` (as the gateway's), so tools price transactions with `eth_gasPrice`.
 */
import type { EthBlockRecord, EthLog, EthTransactionRecord } from '../../runtime/node/client/eth_index.ts';
import type { EthTransactionFields } from '../../runtime/node/client/eth_tx_fields.ts';
import { data, quantity } from './hex.ts';

/** keccak256(rlp([])): no uncles. */
const EMPTY_UNCLES = '0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347';
/** keccak256(rlp("")): the empty trie (receipts are not merkleized here). */
const EMPTY_TRIE = '0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421';
/** The gateway's fixed coinbase. */
const MINER = '0x0000000000000000000000000000000088888888';
const ZERO_HASH = `0x${'00'.repeat(32)}`;

/** A log. */
export function logJson(l: EthLog): Record<string, unknown> {
  return {
    address: data(l.address),
    topics: l.topics.map(data),
    data: data(l.data),
    blockNumber: quantity(l.blockNumber),
    blockHash: data(l.blockHash),
    transactionHash: data(l.transactionHash),
    transactionIndex: quantity(l.transactionIndex),
    logIndex: quantity(l.logIndex),
    removed: false,
  };
}

/** A transaction (`eth_getTransactionByHash`, full blocks). */
export function transactionJson(t: EthTransactionRecord): Record<string, unknown> {
  return {
    ...pendingTransactionJson(t),
    blockHash: data(t.blockHash),
    blockNumber: quantity(t.blockNumber),
    gasPrice: quantity(t.type === 2 ? t.effectiveGasPrice : t.gasPrice),
    transactionIndex: quantity(t.index),
  };
}

/** A transaction no block holds yet (still in the pool): no block, no position, the offered price. */
export function pendingTransactionJson(t: EthTransactionFields): Record<string, unknown> {
  const typed = t.type !== 0;
  return {
    blockHash: null,
    blockNumber: null,
    from: data(t.from),
    gas: quantity(t.gas),
    gasPrice: quantity(t.gasPrice),
    // Only fee-market transactions carry these (as geth serves them): ethers refuses a legacy one that has them.
    ...(t.type >= 2
      ? {
          maxFeePerGas: quantity(t.maxFeePerGas ?? t.gasPrice),
          maxPriorityFeePerGas: quantity(t.maxPriorityFeePerGas ?? t.gasPrice),
        }
      : {}),
    hash: data(t.hash),
    input: data(t.input),
    nonce: quantity(t.nonce),
    to: t.to === undefined ? null : data(t.to),
    transactionIndex: null,
    value: quantity(t.value),
    type: quantity(t.type),
    chainId: quantity(t.chainId ?? 0n),
    ...(typed
      ? {
          accessList: (t.accessList ?? []).map((a) => ({
            address: data(a.address),
            storageKeys: a.storageKeys.map(data),
          })),
          yParity: quantity(t.v),
        }
      : {}),
    v: quantity(t.v),
    r: quantity(t.r),
    s: quantity(t.s),
  };
}

/** A receipt. */
export function receiptJson(t: EthTransactionRecord): Record<string, unknown> {
  return {
    transactionHash: data(t.hash),
    transactionIndex: quantity(t.index),
    blockHash: data(t.blockHash),
    blockNumber: quantity(t.blockNumber),
    from: data(t.from),
    to: t.to === undefined ? null : data(t.to),
    cumulativeGasUsed: quantity(t.cumulativeGasUsed),
    gasUsed: quantity(t.gasUsed),
    effectiveGasPrice: quantity(t.effectiveGasPrice),
    contractAddress: t.contractAddress === undefined ? null : data(t.contractAddress),
    logs: t.logs.map(logJson),
    logsBloom: data(t.logsBloom),
    status: quantity(t.status),
    type: quantity(t.type),
  };
}

/** A block with transaction hashes, or with the transactions themselves when `full`. */
export function blockJson(
  b: EthBlockRecord,
  transactions: Array<string | Record<string, unknown>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = {
    number: quantity(b.number),
    hash: data(b.hash),
    parentHash: data(b.parentHash),
    nonce: '0x0000000000000000',
    mixHash: ZERO_HASH,
    sha3Uncles: EMPTY_UNCLES,
    logsBloom: data(b.logsBloom),
    transactionsRoot: data(b.transactionsRoot),
    stateRoot: data(b.stateRoot),
    receiptsRoot: EMPTY_TRIE,
    miner: MINER,
    difficulty: '0x0',
    totalDifficulty: '0x0',
    extraData: '0x',
    gasLimit: quantity(b.gasLimit),
    gasUsed: quantity(b.gasUsed),
    timestamp: quantity(b.timestamp),
    transactions,
    uncles: [],
  };
  // No Ethereum encoding of this block exists; its size is that of the JSON it is served as.
  out.size = quantity(JSON.stringify(out).length);
  return out;
}

/** A `newHeads` notification: the block header without transactions. */
export function headJson(b: EthBlockRecord): Record<string, unknown> {
  const { transactions: _t, uncles: _u, size: _s, totalDifficulty: _d, ...head } = blockJson(b, []);
  return head;
}
