/**
 * Consensus transactions as oasis-core defines them: `Transaction {nonce, fee?{amount, gas}, method, body?}`
 * carried in a `Signed` envelope signed under `oasis-core/consensus: tx for chain <ctx>`. The tx hash is
 * SHA-512/256 of the signed envelope's CBOR, the same value oasis-core reports in events.
 */

import { toHex } from '../../codec/bytes.ts';
import { type CborValue, decodeCanonical, encodeCanonical } from '../../codec/cbor.ts';
import { quantity, quantityToBytes } from '../../codec/quantity.ts';
import { anyValue, type Decoder, optional, struct, text, u64 } from '../../codec/schema.ts';
import { Contexts, fullContext, signerMessage } from '../../crypto/context.ts';
import type { Ed25519KeyPair } from '../../crypto/ed25519.ts';
import { sha512_256 } from '../../crypto/hash.ts';
import { type Signed, signedDecoder, signValue, verifySignature } from '../../crypto/signature.ts';
import type { AsyncVerifier } from '../../crypto/verify_pool.ts';
import { CodecError, CodedError } from '../../errors.ts';

/** Transaction fee: `amount` base units paid for up to `gas` gas. */
export interface Fee {
  amount: bigint;
  gas: bigint;
}

/** An unsigned consensus transaction. `body` is the method's body as an inline CBOR value. */
export interface Transaction {
  nonce: bigint;
  fee?: Fee;
  method: string;
  body?: CborValue;
}

/** A transaction to encode or sign: its body may be any CBOR-ready value (e.g. a `Signed` descriptor). */
export type UnsignedTransaction = Omit<Transaction, 'body'> & { body?: unknown };

/** A transaction opened from a verified envelope, with who signed it and its hash. */
export interface OpenedTransaction {
  tx: Transaction;
  signer: Uint8Array;
  /** SHA-512/256 of the signed envelope's CBOR. */
  hash: Uint8Array;
}

/** Error module of transaction envelope errors (oasis-core `consensus/transaction`). */
export const TX_MODULE = 'consensus/transaction';
/** Error module of generic consensus errors (oasis-core `consensus`). */
export const CONSENSUS_MODULE = 'consensus';

/** Coded errors of the `consensus/transaction` module. */
export const TxErrors = Object.freeze({
  invalidNonce: (msg = 'invalid nonce') => new CodedError(TX_MODULE, 1, msg),
  insufficientFeeBalance: (msg = 'insufficient balance to pay fees') => new CodedError(TX_MODULE, 2, msg),
  gasPriceTooLow: (msg = 'gas price too low') => new CodedError(TX_MODULE, 3, msg),
  upgradePending: (msg = 'upgrade pending') => new CodedError(TX_MODULE, 4, msg),
  methodNotSupported: (msg = 'method not supported') => new CodedError(TX_MODULE, 5, msg),
});

/** Coded errors of the `consensus` module. */
export const ConsensusErrors = Object.freeze({
  noCommittedBlocks: (msg = 'no committed blocks') => new CodedError(CONSENSUS_MODULE, 1, msg),
  oversizedTx: (msg = 'transaction too large') => new CodedError(CONSENSUS_MODULE, 2, msg),
  versionNotFound: (msg = 'version not found') => new CodedError(CONSENSUS_MODULE, 3, msg),
  unsupported: (msg = 'unsupported') => new CodedError(CONSENSUS_MODULE, 4, msg),
  duplicateTx: (msg = 'duplicate transaction') => new CodedError(CONSENSUS_MODULE, 5, msg),
  invalidArgument: (msg = 'invalid argument') => new CodedError(CONSENSUS_MODULE, 6, msg),
});

const feeDecoder: Decoder<Fee> = struct({ amount: quantity, gas: u64 });

const txDecoder = struct({
  nonce: u64,
  fee: optional(feeDecoder),
  method: text,
  body: optional(anyValue),
});

/** Strictly decodes a transaction from its CBOR value. */
export const transactionDecoder: Decoder<Transaction> = (value, path) => {
  const d = txDecoder(value, path);
  const tx: Transaction = { nonce: d.nonce, method: d.method };
  if (d.fee !== undefined) tx.fee = d.fee;
  if (d.body !== undefined) tx.body = d.body;
  if (tx.method.length === 0) throw new CodecError(path ? `${path}.method` : 'method', 'empty method name');
  return tx;
};

/** The CBOR-ready form of a transaction (field names and quantity encoding as oasis-core). */
export function transactionToCbor(tx: UnsignedTransaction): Record<string, unknown> {
  const out: Record<string, unknown> = { nonce: tx.nonce, method: tx.method };
  if (tx.fee !== undefined) out.fee = { amount: quantityToBytes(tx.fee.amount), gas: tx.fee.gas };
  if (tx.body !== undefined) out.body = tx.body;
  return out;
}

/** Canonical CBOR of an unsigned transaction. */
export function encodeTransaction(tx: UnsignedTransaction): Uint8Array {
  return encodeCanonical(transactionToCbor(tx));
}

/** Signs a transaction for the chain identified by `chainContext`. */
export function signTransaction(
  signer: Ed25519KeyPair,
  tx: UnsignedTransaction,
  chainContext: string,
): Signed {
  return signValue(signer, Contexts.transaction, transactionToCbor(tx), chainContext);
}

/** Canonical CBOR of a signed transaction: exactly the bytes that go into a block. */
export function encodeSignedTransaction(signed: Signed): Uint8Array {
  return encodeCanonical(signed);
}

/**
 * Hashes of transaction byte arrays already hashed, by array: one transaction's bytes go from admission
 * through the mempool, proposal, execution, re-checks and the commit fan-out as the same array, and were
 * hashed about eight times on the way. Transaction bytes are never modified once received.
 */
const hashes = new WeakMap<Uint8Array, { hash: Uint8Array; hex: string }>();

function hashed(signedTxBytes: Uint8Array): { hash: Uint8Array; hex: string } {
  let known = hashes.get(signedTxBytes);
  if (known === undefined) {
    const hash = sha512_256(signedTxBytes);
    known = { hash, hex: toHex(hash) };
    hashes.set(signedTxBytes, known);
  }
  return known;
}

/** Transaction hash: SHA-512/256 of the signed envelope's CBOR (shared: must not be modified). */
export function transactionHash(signedTxBytes: Uint8Array): Uint8Array {
  return hashed(signedTxBytes).hash;
}

/** Hex transaction hash, as clients show it. */
export function transactionHashHex(signedTxBytes: Uint8Array): string {
  return hashed(signedTxBytes).hex;
}

/** Verified transactions by hash and chain context: a transaction is checked for the mempool, proposed,
 * validated and executed, and its signature need only be verified once. Opening is a pure function of the
 * bytes and the chain context, so the cache cannot change any result. */
const openedCache = new Map<string, OpenedTransaction>();
const OPENED_CACHE_LIMIT = 50_000;

/**
 * Decodes a signed transaction from block/mempool bytes, verifies its signature under the transaction
 * context bound to `chainContext`, and decodes the transaction strictly.
 * Throws `CodecError` for a malformed envelope or transaction, `CodedError(signature, 1)` for a bad signature.
 * The result is shared between callers and must not be modified.
 */
export function openSignedTransaction(
  signedTxBytes: Uint8Array,
  chainContext: string,
  maxBytes?: number,
): OpenedTransaction {
  if (maxBytes !== undefined && signedTxBytes.length > maxBytes) {
    throw new CodecError('', `input of ${signedTxBytes.length} bytes exceeds the limit of ${maxBytes}`);
  }
  const { hash, hex } = hashed(signedTxBytes);
  const key = openedCacheKey(chainContext, hex);
  const cached = openedCache.get(key);
  if (cached) return cached;
  const signed = signedDecoder(decodeCanonical(signedTxBytes, maxBytes), 'signed_tx');
  if (!verifySignature(signed.signature, Contexts.transaction, signed.untrusted_raw_value, chainContext)) {
    throw new CodedError('signature', 1, 'transaction signature verification failed');
  }
  return rememberOpened(key, signed, hash, maxBytes);
}

/**
 * Opens a signed transaction like `openSignedTransaction`, with the signature checked by `verify` (a
 * worker pool), and caches the result, so the synchronous opening in checks, proposals and execution
 * finds it done. Never throws: a transaction that does not open is left for the synchronous path to
 * reject with its usual error.
 */
export async function preopenSignedTransaction(
  signedTxBytes: Uint8Array,
  chainContext: string,
  verify: AsyncVerifier,
): Promise<void> {
  const { hash, hex } = hashed(signedTxBytes);
  const key = openedCacheKey(chainContext, hex);
  if (openedCache.has(key)) return;
  try {
    const signed = signedDecoder(decodeCanonical(signedTxBytes), 'signed_tx');
    const message = signerMessage(
      fullContext(Contexts.transaction, chainContext),
      signed.untrusted_raw_value,
    );
    if (!(await verify(signed.signature.public_key, message, signed.signature.signature))) return;
    if (!openedCache.has(key)) rememberOpened(key, signed, hash);
  } catch {
    // Malformed: the synchronous path reports it.
  }
}

function openedCacheKey(chainContext: string, hashHex: string): string {
  return `${chainContext}\u0000${hashHex}`;
}

/** Decodes the transaction of a verified envelope and caches the opening. */
function rememberOpened(key: string, signed: Signed, hash: Uint8Array, maxBytes?: number): OpenedTransaction {
  const tx = transactionDecoder(decodeCanonical(signed.untrusted_raw_value, maxBytes), 'tx');
  const opened: OpenedTransaction = { tx, signer: signed.signature.public_key, hash };
  openedCache.set(key, opened);
  if (openedCache.size > OPENED_CACHE_LIMIT) openedCache.delete(openedCache.keys().next().value!);
  return opened;
}
