/**
 * Methods that read the chain from the Ethereum index: identity (`eth_chainId`, `net_version`,
 * `web3_clientVersion`), the head, blocks (with transaction hashes or full transactions), transactions
 * and receipts. Anything the node does not have is `null`, as geth answers.
 */
import { keccak_256 } from '@noble/hashes/sha3.js';
import { bytesEqual } from '../../codec/bytes.ts';
import type { EthBlockRecord } from '../../runtime/node/client/eth_index.ts';
import {
  decodeEthTransactionFields,
  type EthTransactionFields,
  ethDecodingCommon,
} from '../../runtime/node/client/eth_tx_fields.ts';
import { unwrapEthereumTx } from '../../runtime/protocol/eth_envelope.ts';
import type { Web3Backend } from './backend.ts';
import { blockNumberOf, parseBlockParam } from './block_tags.ts';
import { RpcErrors } from './errors.ts';
import { blockJson, pendingTransactionJson, receiptJson, transactionJson } from './format.ts';
import { data, parseHash, parseQuantity, quantity } from './hex.ts';
import type { RpcMethods } from './method.ts';

/** What `web3_clientVersion` answers. */
export const CLIENT_VERSION = 'oasis-ts/0.1.0';

const asFlag = (v: unknown, arg: number): boolean => {
  if (v === undefined || v === null) return false;
  if (typeof v !== 'boolean') throw RpcErrors.invalidArgument(arg, 'expected a boolean');
  return v;
};

/** The chain methods over `b`. */
export function chainMethods(b: Web3Backend): RpcMethods {
  const { index } = b;
  const common = ethDecodingCommon(b.chainId);
  /**
   * Ethereum hash (null: not an Ethereum transaction) of each pooled transaction, by the pool's own byte
   * array: wallets ask for their pending transactions every block, and unwrapping and hashing the whole
   * pool per question was a large part of a loaded endpoint's time.
   */
  const pooledHashes = new WeakMap<Uint8Array, Uint8Array | null>();
  const pooledTransaction = (hash: Uint8Array): EthTransactionFields | undefined => {
    for (const tx of b.runtimes.unconfirmedTransactions(b.runtimeId)) {
      let ethHash = pooledHashes.get(tx);
      if (ethHash === undefined) {
        const raw = unwrapEthereumTx(tx);
        ethHash = raw === null ? null : keccak_256(raw);
        pooledHashes.set(tx, ethHash);
      }
      if (ethHash === null || !bytesEqual(ethHash, hash)) continue;
      const raw = unwrapEthereumTx(tx);
      return raw === null ? undefined : (decodeEthTransactionFields(raw, common) ?? undefined);
    }
    return undefined;
  };
  const block = (v: unknown, arg: number): EthBlockRecord | undefined => {
    const n = blockNumberOf(b, parseBlockParam(v, arg));
    return n === undefined ? undefined : index.blockByNumber(n);
  };
  const render = (blk: EthBlockRecord | undefined, full: boolean) => {
    if (blk === undefined) return null;
    const txs = blk.transactions.map((h) => {
      if (!full) return data(h);
      const t = index.transaction(h);
      return t === undefined ? data(h) : transactionJson(t);
    });
    return blockJson(blk, txs);
  };
  const txAt = (blk: EthBlockRecord | undefined, i: unknown) => {
    const n = parseQuantity(i, 1);
    const hash = blk?.transactions[Number(n)];
    if (hash === undefined || n >= BigInt(blk!.transactions.length)) return null;
    const t = index.transaction(hash);
    return t === undefined ? null : transactionJson(t);
  };
  const byHash = (v: unknown) => index.blockByHash(parseHash(v, 0));

  return {
    eth_chainId: () => quantity(b.chainId),
    net_version: () => b.chainId.toString(10),
    net_listening: () => true,
    web3_clientVersion: () => CLIENT_VERSION,
    eth_syncing: () => false,
    eth_mining: () => false,
    eth_hashrate: () => '0x0',
    eth_accounts: () => [],
    eth_blockNumber: () => quantity(index.head() ?? 0n),
    eth_getBlockByNumber: ([n, full]) => render(block(n, 0), asFlag(full, 1)),
    eth_getBlockByHash: ([h, full]) => render(byHash(h), asFlag(full, 1)),
    eth_getBlockTransactionCountByNumber: ([n]) => {
      const blk = block(n, 0);
      return blk === undefined ? null : quantity(blk.transactions.length);
    },
    eth_getBlockTransactionCountByHash: ([h]) => {
      const blk = byHash(h);
      return blk === undefined ? null : quantity(blk.transactions.length);
    },
    eth_getTransactionByHash: ([h]) => {
      const hash = parseHash(h, 0);
      const t = index.transaction(hash);
      if (t !== undefined) return transactionJson(t);
      // Sent but not in a block yet: geth answers from its pool, with no block.
      const pending = pooledTransaction(hash);
      return pending === undefined ? null : pendingTransactionJson(pending);
    },
    eth_getTransactionReceipt: ([h]) => {
      const t = index.transaction(parseHash(h, 0));
      return t === undefined ? null : receiptJson(t);
    },
    eth_getTransactionByBlockNumberAndIndex: ([n, i]) => txAt(block(n, 0), i),
    eth_getTransactionByBlockHashAndIndex: ([h, i]) => txAt(byHash(h), i),
  };
}
