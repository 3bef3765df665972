/** How the Ethereum index stores its blocks, transactions (with receipts) and logs: canonical CBOR. */
import { decodeCanonical, encodeCanonical } from '../../../codec/cbor.ts';
import {
  arrayCodec,
  bytesCodec,
  type Codec,
  field,
  optionalCodec,
  quantityCodec,
  structCodec,
  u64Codec,
  uintCodec,
} from '../../../codec/typed.ts';
import type { EthBlockRecord, EthLog, EthTransactionRecord } from '../client/eth_index.ts';

const bytes = () => field(bytesCodec());
const u256 = () => field(quantityCodec);
const opt = <T>(c: Codec<T>) => field(optionalCodec(c), true);

/** A log. */
export const logCodec: Codec<EthLog> = structCodec({
  address: bytes(),
  topics: field(arrayCodec(bytesCodec(32), 4)),
  data: bytes(),
  blockNumber: field(u64Codec),
  blockHash: bytes(),
  transactionHash: bytes(),
  transactionIndex: field(uintCodec),
  logIndex: field(uintCodec),
});

/** A transaction with its receipt. */
export const transactionCodec: Codec<EthTransactionRecord> = structCodec({
  hash: bytes(),
  blockNumber: field(u64Codec),
  blockHash: bytes(),
  index: field(uintCodec),
  type: field(uintCodec),
  chainId: opt(quantityCodec),
  from: bytes(),
  to: opt(bytesCodec()),
  nonce: field(u64Codec),
  gas: field(u64Codec),
  gasPrice: u256(),
  maxFeePerGas: opt(quantityCodec),
  maxPriorityFeePerGas: opt(quantityCodec),
  value: u256(),
  input: bytes(),
  accessList: opt(
    arrayCodec(structCodec({ address: bytes(), storageKeys: field(arrayCodec(bytesCodec())) })),
  ),
  v: u256(),
  r: u256(),
  s: u256(),
  status: field(uintCodec),
  gasUsed: field(u64Codec),
  cumulativeGasUsed: field(u64Codec),
  effectiveGasPrice: u256(),
  contractAddress: opt(bytesCodec()),
  logs: field(arrayCodec(logCodec)),
  logsBloom: bytes(),
});

/** A block. */
export const blockCodec: Codec<EthBlockRecord> = structCodec({
  number: field(u64Codec),
  hash: bytes(),
  parentHash: bytes(),
  timestamp: field(u64Codec),
  stateRoot: bytes(),
  transactionsRoot: bytes(),
  gasLimit: field(u64Codec),
  gasUsed: field(u64Codec),
  logsBloom: bytes(),
  transactions: field(arrayCodec(bytesCodec(32))),
});

/** Encodes a record with its codec. */
export function encodeRecord<T>(codec: Codec<T>, value: T): Buffer {
  return Buffer.from(encodeCanonical(codec.encode(value)));
}

/** Decodes a record stored by `encodeRecord`. */
export function decodeRecord<T>(codec: Codec<T>, raw: Uint8Array, what: string): T {
  return codec.decode(decodeCanonical(raw), what);
}
