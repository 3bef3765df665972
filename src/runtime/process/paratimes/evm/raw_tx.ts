/**
 * Decoding a raw signed Ethereum transaction (legacy with or without EIP-155, EIP-2930, EIP-1559) as
 * runtime-sdk's `evm` module does: the sender is recovered from the secp256k1 signature (high-s refused),
 * a chain ID must be ours (a pre-EIP-155 legacy transaction names none and is accepted), and the gas
 * price is the legacy price or, for EIP-1559, `min(tip, maxFee - base) + base` with the runtime's minimum
 * gas price as base fee. Every failure is core/1 "malformed transaction".
 */
import type { Common } from '@ethereumjs/common';
import { createTxFromRLP, TransactionType, type TypedTransaction } from '@ethereumjs/tx';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { keccak_256 } from '@noble/hashes/sha3.js';
import { U64_MAX } from '../../../../codec/schema.ts';
import { CoreErrorCode, coreError } from '../../../protocol/core_errors.ts';
import { ethAddressOfPublicKey } from './address.ts';
import { minAmount } from './params.ts';

/** A decoded, sender-recovered Ethereum transaction. */
export interface EthTransaction {
  /** keccak256 of the raw bytes: the hash Ethereum tools know the transaction by. */
  hash: Uint8Array;
  type: number;
  sender: Uint8Array;
  /** The sender's compressed (33-byte) secp256k1 public key. */
  publicKey: Uint8Array;
  nonce: bigint;
  gasLimit: bigint;
  /** Effective price per gas. */
  gasPrice: bigint;
  /** Callee; absent for a contract creation. */
  to?: Uint8Array;
  value: bigint;
  data: Uint8Array;
  /** EIP-2930 access list: addresses and storage keys to pre-warm. */
  accessList: Array<{ address: Uint8Array; storageKeys: Uint8Array[] }>;
  /** Ethereum intrinsic gas (21000, calldata, creation and init code, access list). */
  intrinsicGas: bigint;
}

function malformed(why: string): never {
  throw coreError(CoreErrorCode.malformedTransaction, `malformed transaction: ${why}`);
}

function effectiveGasPrice(tx: TypedTransaction, baseFee: bigint): bigint {
  if (tx.type !== TransactionType.FeeMarketEIP1559) return (tx as { gasPrice: bigint }).gasPrice;
  const { maxFeePerGas, maxPriorityFeePerGas } = tx as { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint };
  if (maxFeePerGas < maxPriorityFeePerGas) malformed('invalid gas price');
  if (maxFeePerGas < baseFee) malformed('gas price too low');
  const tip = minAmount(maxPriorityFeePerGas, maxFeePerGas - baseFee);
  return tip + baseFee;
}

/**
 * Decodes and authenticates `raw` for the chain of `common` (an `evmCommon`: it must carry the transaction
 * parameters), with `baseFee` as the EIP-1559 base fee.
 */
export function decodeEthTransaction(raw: Uint8Array, common: Common, baseFee: bigint): EthTransaction {
  if (raw.length === 0) malformed('empty transaction');
  const type = raw[0]! >= 0xc0 ? TransactionType.Legacy : raw[0]!;
  if (
    type !== TransactionType.Legacy &&
    type !== TransactionType.AccessListEIP2930 &&
    type !== TransactionType.FeeMarketEIP1559
  ) {
    malformed(`unsupported transaction type ${type}`);
  }
  let tx: TypedTransaction;
  let uncompressed: Uint8Array;
  try {
    // `common` carries the transaction parameters already (evmCommon): passing none here spares a deep
    // copy of them into every transaction's own Common (a fifth of the decoding time).
    tx = createTxFromRLP(raw, { common, params: {} });
    if (!tx.isSigned()) malformed('transaction is not signed');
    uncompressed = tx.getSenderPublicKey();
  } catch (err) {
    if (err instanceof Error && 'module' in err) throw err;
    malformed((err as Error).message);
  }
  if (tx.nonce > U64_MAX) malformed('nonce does not fit in 64 bits');
  if (tx.gasLimit > U64_MAX) malformed('gas limit does not fit in 64 bits');
  const gasPrice = effectiveGasPrice(tx, baseFee);
  if (gasPrice >= 1n << 128n) malformed('gas price does not fit in 128 bits');
  const point = secp256k1.Point.fromBytes(Uint8Array.of(0x04, ...uncompressed));
  const accessList =
    'accessList' in tx
      ? (tx.accessList as Array<[Uint8Array, Uint8Array[]]>).map(([address, keys]) => ({
          address,
          storageKeys: keys,
        }))
      : [];
  return {
    hash: keccak_256(raw),
    type,
    sender: ethAddressOfPublicKey(uncompressed),
    publicKey: point.toBytes(true),
    nonce: tx.nonce,
    gasLimit: tx.gasLimit,
    gasPrice,
    ...(tx.to !== undefined ? { to: tx.to.bytes } : {}),
    value: tx.value,
    data: tx.data,
    accessList,
    intrinsicGas: tx.getIntrinsicGas(),
  };
}
