/**
 * The Ethereum view of an EVM ParaTime's history, as its JSON-RPC endpoint reads it: each runtime round is
 * one Ethereum block (number = round, hash = runtime header hash), each raw Ethereum transaction in it one
 * Ethereum transaction with its receipt and logs. The node's index implements this port; the API layer
 * only maps it to JSON.
 */

/** A log as Ethereum tools see it, with its position in the chain. */
export interface EthLog {
  address: Uint8Array;
  topics: Uint8Array[];
  data: Uint8Array;
  blockNumber: bigint;
  blockHash: Uint8Array;
  transactionHash: Uint8Array;
  transactionIndex: number;
  /** Position among all logs of its block. */
  logIndex: number;
}

/** One Ethereum transaction with what its execution produced (transaction and receipt fields). */
export interface EthTransactionRecord {
  hash: Uint8Array;
  blockNumber: bigint;
  blockHash: Uint8Array;
  /** Position among the block's Ethereum transactions. */
  index: number;
  type: number;
  /** Absent for a pre-EIP-155 legacy transaction. */
  chainId?: bigint;
  from: Uint8Array;
  /** Absent for a contract creation. */
  to?: Uint8Array;
  nonce: bigint;
  gas: bigint;
  /** Legacy and EIP-2930 gas price; for EIP-1559 the fee cap. */
  gasPrice: bigint;
  maxFeePerGas?: bigint;
  maxPriorityFeePerGas?: bigint;
  value: bigint;
  input: Uint8Array;
  accessList?: Array<{ address: Uint8Array; storageKeys: Uint8Array[] }>;
  v: bigint;
  r: bigint;
  s: bigint;
  /** 1 when the runtime's call succeeded, else 0. */
  status: number;
  gasUsed: bigint;
  cumulativeGasUsed: bigint;
  effectiveGasPrice: bigint;
  contractAddress?: Uint8Array;
  logs: EthLog[];
  logsBloom: Uint8Array;
}

/** A runtime round as an Ethereum block. */
export interface EthBlockRecord {
  number: bigint;
  hash: Uint8Array;
  parentHash: Uint8Array;
  /** Unix seconds. */
  timestamp: bigint;
  stateRoot: Uint8Array;
  /** The runtime IO root when the block has Ethereum transactions, else the empty-trie root. */
  transactionsRoot: Uint8Array;
  gasLimit: bigint;
  gasUsed: bigint;
  logsBloom: Uint8Array;
  /** Hashes of its Ethereum transactions in order. */
  transactions: Uint8Array[];
}

/** Which logs `eth_getLogs` wants: a block range, any of `addresses` (none = any), per-position topics. */
export interface EthLogQuery {
  fromBlock: bigint;
  toBlock: bigint;
  addresses: Uint8Array[];
  /** Position i matches any of `topics[i]`; null (or a missing position) matches anything. */
  topics: Array<Uint8Array[] | null>;
}

/** Read access to the index of one EVM ParaTime. */
export interface EthIndexReader {
  /** The newest indexed block number; undefined before anything is indexed. */
  head(): bigint | undefined;
  /** The oldest indexed block number. */
  earliest(): bigint | undefined;
  blockByNumber(n: bigint): EthBlockRecord | undefined;
  blockByHash(hash: Uint8Array): EthBlockRecord | undefined;
  transaction(hash: Uint8Array): EthTransactionRecord | undefined;
  /** Matching logs in chain order; at most `limit` (more raises nothing: the caller asks for limit + 1). */
  logs(query: EthLogQuery, limit: number): EthLog[];
  /** Calls `onBlock` for every block indexed from now on; returns the unsubscribe function. */
  watch(onBlock: (block: EthBlockRecord) => void): () => void;
}
