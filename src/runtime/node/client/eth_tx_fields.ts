/**
 * What a raw signed Ethereum transaction says by itself (sender, nonce, gas, fees, call, signature):
 * the part of an indexed transaction known before any round runs it, so the index and the JSON-RPC
 * endpoint (for a transaction still in the pool) decode it the same way.
 */
import { type Common, createCustomCommon, Mainnet } from '@ethereumjs/common';
import { createTxFromRLP, paramsTx, TransactionType } from '@ethereumjs/tx';
import { keccak_256 } from '@noble/hashes/sha3.js';
// Cheap Common lookups for every transaction this node decodes (indexing, pending transactions).
import '../../../crypto/eth_common_lookups.ts';
import { ecrecover } from '../../../crypto/secp256k1_recover.ts';
import type { EthTransactionRecord } from './eth_index.ts';

/** The fields of an Ethereum transaction that do not depend on its execution. */
export type EthTransactionFields = Pick<
  EthTransactionRecord,
  | 'hash'
  | 'type'
  | 'chainId'
  | 'from'
  | 'to'
  | 'nonce'
  | 'gas'
  | 'gasPrice'
  | 'maxFeePerGas'
  | 'maxPriorityFeePerGas'
  | 'value'
  | 'input'
  | 'accessList'
  | 'v'
  | 'r'
  | 's'
>;

/** The chain rules transactions of an EVM ParaTime with `chainId` are decoded under. */
export function ethDecodingCommon(chainId: bigint): Common {
  return createCustomCommon({ chainId: Number(chainId), name: 'oasis-evm' }, Mainnet, {
    params: paramsTx,
    customCrypto: { ecrecover },
  });
}

/** EIP-155: v = chainId * 2 + 35 + parity; 27/28 name no chain. */
function legacyChainId(v: bigint | undefined): bigint | undefined {
  if (v === undefined || v < 35n) return undefined;
  return (v - 35n) / 2n;
}

/** Decoded transactions remembered (by chain and bytes): a wallet polls its pending transactions every block. */
const DECODED_KEPT = 4096;
const decoded = new Map<string, EthTransactionFields | null>();

/**
 * Decodes raw Ethereum transaction bytes; null when they are no valid signed transaction. Answers for the
 * same bytes are remembered (bounded), so a pending transaction asked for every block, and then indexed,
 * has its sender recovered once; callers must not change what they get.
 */
export function decodeEthTransactionFields(raw: Uint8Array, common: Common): EthTransactionFields | null {
  const key = `${common.chainId()}/${Buffer.from(raw.buffer, raw.byteOffset, raw.length).toString('hex')}`;
  if (decoded.has(key)) return decoded.get(key)!;
  const fields = decodeUncached(raw, common);
  if (decoded.size >= DECODED_KEPT) decoded.delete(decoded.keys().next().value!);
  decoded.set(key, fields);
  return fields;
}

function decodeUncached(raw: Uint8Array, common: Common): EthTransactionFields | null {
  let tx: ReturnType<typeof createTxFromRLP>;
  let from: Uint8Array;
  try {
    // The Common carries the transaction parameters (`ethDecodingCommon`): none passed here, so each
    // transaction's copy of it keeps the parameter cache instead of rebuilding it.
    tx = createTxFromRLP(raw, { common, params: {} });
    from = tx.getSenderAddress().bytes;
  } catch {
    return null;
  }
  const legacyPrice = 'gasPrice' in tx ? (tx.gasPrice as bigint) : undefined;
  const eip1559 = tx.type === TransactionType.FeeMarketEIP1559;
  const maxFee = eip1559 ? (tx as { maxFeePerGas: bigint }).maxFeePerGas : undefined;
  const maxTip = eip1559 ? (tx as { maxPriorityFeePerGas: bigint }).maxPriorityFeePerGas : undefined;
  const typed = tx.type !== TransactionType.Legacy;
  const chainId = typed ? (tx as { chainId: bigint }).chainId : legacyChainId(tx.v);
  return {
    hash: keccak_256(raw),
    type: tx.type,
    ...(chainId !== undefined ? { chainId } : {}),
    from,
    ...(tx.to !== undefined ? { to: tx.to.bytes } : {}),
    nonce: tx.nonce,
    gas: tx.gasLimit,
    gasPrice: legacyPrice ?? maxFee ?? 0n,
    ...(maxFee !== undefined ? { maxFeePerGas: maxFee } : {}),
    ...(maxTip !== undefined ? { maxPriorityFeePerGas: maxTip } : {}),
    value: tx.value,
    input: tx.data,
    ...(typed
      ? {
          accessList: (tx as unknown as { accessList: Array<[Uint8Array, Uint8Array[]]> }).accessList.map(
            ([address, storageKeys]) => ({ address, storageKeys }),
          ),
        }
      : {}),
    v: tx.v ?? 0n,
    r: tx.r ?? 0n,
    s: tx.s ?? 0n,
  };
}
