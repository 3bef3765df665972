/**
 * An EVM ParaTime as its dashboard page shows it: the latest Ethereum blocks (each runtime round is one)
 * and the contracts their transactions deployed, read from the node's Ethereum index of that runtime — the
 * same records `eth_getBlockByNumber` and receipts are served from, never through JSON-RPC.
 */
import type { EthIndexReader } from '../../runtime/node/client/eth_index.ts';
import { data } from '../web3/hex.ts';

/** One Ethereum block of the ParaTime. */
export interface EvmBlockView {
  number: string;
  hash: string;
  /** Unix seconds. */
  timestamp: string;
  tx_count: number;
  gas_used: string;
}

/** A contract deployed by a successful contract-creation transaction. */
export interface EvmContractView {
  address: string;
  creator: string;
  tx_hash: string;
  block: string;
}

/** `/api/evm/<runtime id>`: the newest indexed block and, newest first, the latest blocks and contracts. */
export interface EvmView {
  runtime_id: string;
  /** Newest indexed block number; null before anything is indexed. */
  head: string | null;
  blocks: EvmBlockView[];
  contracts: EvmContractView[];
}

/** The latest `limit` indexed blocks of one EVM ParaTime and the contracts created in them. */
export function evmActivity(index: EthIndexReader, runtimeId: string, limit: number): EvmView {
  const head = index.head();
  const earliest = index.earliest() ?? 0n;
  const blocks: EvmBlockView[] = [];
  const contracts: EvmContractView[] = [];
  for (let n = head; n !== undefined && n >= earliest && blocks.length < limit; n--) {
    const block = index.blockByNumber(n);
    if (block === undefined) continue;
    blocks.push({
      number: block.number.toString(),
      hash: data(block.hash),
      timestamp: block.timestamp.toString(),
      tx_count: block.transactions.length,
      gas_used: block.gasUsed.toString(),
    });
    for (const hash of block.transactions) {
      const tx = index.transaction(hash);
      if (tx?.contractAddress === undefined || tx.status !== 1) continue;
      contracts.push({
        address: data(tx.contractAddress),
        creator: data(tx.from),
        tx_hash: data(tx.hash),
        block: block.number.toString(),
      });
    }
  }
  return { runtime_id: runtimeId, head: head?.toString() ?? null, blocks, contracts };
}
