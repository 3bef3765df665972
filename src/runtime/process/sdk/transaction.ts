/**
 * runtime-sdk transactions as `@oasisprotocol/client-rt` builds them:
 * `UnverifiedTransaction = CBOR [body bstr, [AuthProof]]`, body = CBOR `Transaction {v: 1, call, ai}`,
 * each signer signing SHA-512/256(context || body) with context `oasis-runtime-sdk/tx: v0 for chain <hex
 * SHA-512/256(runtime ID || consensus chain context)>`. Decoding is strict and verification total: a
 * transaction comes out fully authenticated or as a coded `core` error.
 */

import { toHex, utf8 } from '../../../codec/bytes.ts';
import { type CborValue, decodeCanonical } from '../../../codec/cbor.ts';
import { quantity } from '../../../codec/quantity.ts';
import {
  anyValue,
  arrayOf,
  bool,
  bytes,
  type Decoder,
  optional,
  struct,
  text,
  u64,
  uint,
} from '../../../codec/schema.ts';
import { type Address, addressFromPublicKey } from '../../../crypto/address.ts';
import { Contexts, fullContext, signerMessage } from '../../../crypto/context.ts';
import { PUBLIC_KEY_SIZE, verifyRaw } from '../../../crypto/ed25519.ts';
import { sha512_256 } from '../../../crypto/hash.ts';
import { CoreErrorCode, coreError } from '../../protocol/core_errors.ts';

/** The only transaction version. */
export const TRANSACTION_VERSION = 1;
/** Plain (unencrypted) call format. */
export const CALL_FORMAT_PLAIN = 0;
/** Largest raw transaction accepted. */
export const MAX_TX_SIZE = 32 * 1024;
/** Most signers per transaction. */
export const MAX_SIGNERS = 8;

/** A token amount: base units and denomination (empty = native). */
export interface BaseUnits {
  amount: bigint;
  denomination: Uint8Array;
}

/** An authenticated signer. */
export interface Signer {
  publicKey: Uint8Array;
  address: Address;
  nonce: bigint;
}

/** A decoded, signature-verified transaction. */
export interface VerifiedTransaction {
  /** SHA-512/256 of the raw UnverifiedTransaction bytes. */
  hash: Uint8Array;
  size: number;
  method: string;
  body: CborValue;
  readOnly: boolean;
  signers: Signer[];
  fee: { amount: BaseUnits; gas: bigint; consensusMessages: number };
  notBefore?: bigint;
  notAfter?: bigint;
}

/** Decoder of `[amount quantity, denomination bstr]`. */
export const baseUnits: Decoder<BaseUnits> = (value, path) => {
  if (!Array.isArray(value) || value.length !== 2) {
    throw coreError(CoreErrorCode.malformedTransaction, `${path}: expected [amount, denomination]`);
  }
  return { amount: quantity(value[0]!, `${path}[0]`), denomination: bytes()(value[1]!, `${path}[1]`) };
};

const transactionDecoder = struct({
  v: uint,
  call: struct({ format: optional(uint), method: text, body: optional(anyValue), ro: optional(bool) }),
  ai: struct({
    si: arrayOf(
      struct({
        address_spec: struct({
          signature: optional(struct({ ed25519: bytes(PUBLIC_KEY_SIZE) })),
          multisig: optional(anyValue),
        }),
        nonce: u64,
      }),
      MAX_SIGNERS + 1,
    ),
    fee: struct({ amount: baseUnits, gas: u64, consensus_messages: optional(uint) }),
    not_before: optional(u64),
    not_after: optional(u64),
  }),
});

const proofDecoder = struct({
  signature: optional(bytes()),
  multisig: optional(anyValue),
  module: optional(text),
});

/** The runtime chain context: hex SHA-512/256(runtime ID || consensus chain context). */
export function runtimeChainContext(runtimeId: Uint8Array, consensusChainContext: string): string {
  return toHex(sha512_256(runtimeId, utf8(consensusChainContext)));
}

/** The full signature context of runtime transactions on this runtime and chain. */
export function runtimeSignatureContext(runtimeId: Uint8Array, consensusChainContext: string): string {
  return fullContext(Contexts.runtimeTransaction, runtimeChainContext(runtimeId, consensusChainContext));
}

function malformed(err: unknown): never {
  throw coreError(CoreErrorCode.malformedTransaction, `malformed transaction: ${(err as Error).message}`);
}

/** A decoded transaction body whose signers are not (yet) authenticated. */
export type UnauthenticatedTransaction = Omit<VerifiedTransaction, 'hash' | 'size'>;

/**
 * Decodes a `Transaction` value (the signed body, or the `tx` of a gas estimate) and checks what needs no
 * signature: version (core/2), call format (core/18), signer count (core/2, core/15), ed25519-only auth.
 */
export function decodeTransaction(value: CborValue): UnauthenticatedTransaction {
  let tx: ReturnType<typeof transactionDecoder>;
  try {
    tx = transactionDecoder(value, 'tx');
  } catch (err) {
    malformed(err);
  }
  if (tx.v !== TRANSACTION_VERSION)
    throw coreError(CoreErrorCode.invalidTransaction, `unsupported version ${tx.v}`);
  if ((tx.call.format ?? CALL_FORMAT_PLAIN) !== CALL_FORMAT_PLAIN) {
    throw coreError(CoreErrorCode.invalidCallFormat, `unsupported call format ${tx.call.format}`);
  }
  const si = tx.ai.si;
  if (si.length === 0) throw coreError(CoreErrorCode.invalidTransaction, 'transaction has no signers');
  if (si.length > MAX_SIGNERS) throw coreError(CoreErrorCode.tooManyAuth, `more than ${MAX_SIGNERS} signers`);
  const signers = si.map((info, i): Signer => {
    const pk = info.address_spec.signature?.ed25519;
    if (pk === undefined || info.address_spec.multisig !== undefined) {
      throw coreError(
        CoreErrorCode.invalidTransaction,
        `signer ${i}: only ed25519 signature auth is supported`,
      );
    }
    return { publicKey: pk, address: addressFromPublicKey(pk), nonce: info.nonce };
  });
  return {
    method: tx.call.method,
    body: tx.call.body ?? null,
    readOnly: tx.call.ro ?? false,
    signers,
    fee: {
      amount: tx.ai.fee.amount,
      gas: tx.ai.fee.gas,
      consensusMessages: tx.ai.fee.consensus_messages ?? 0,
    },
    ...(tx.ai.not_before !== undefined ? { notBefore: tx.ai.not_before } : {}),
    ...(tx.ai.not_after !== undefined ? { notAfter: tx.ai.not_after } : {}),
  };
}

/**
 * Decodes and authenticates a raw transaction under `context` (from `runtimeSignatureContext`).
 * Throws core errors: malformed (1), invalid (2: version, signer/proof mismatch, bad signature), too many
 * signers (15), unsupported call format (18), oversize (23).
 */
export function verifyTransaction(raw: Uint8Array, context: string): VerifiedTransaction {
  if (raw.length > MAX_TX_SIZE) {
    throw coreError(
      CoreErrorCode.oversizedTransaction,
      `transaction of ${raw.length} bytes exceeds ${MAX_TX_SIZE}`,
    );
  }
  let body: Uint8Array;
  let proofs: Array<{ signature?: Uint8Array; multisig?: CborValue; module?: string }>;
  let value: CborValue;
  try {
    const outer = decodeCanonical(raw, MAX_TX_SIZE);
    if (!Array.isArray(outer) || outer.length !== 2) throw new Error('expected [body, proofs]');
    body = bytes()(outer[0]!, 'body');
    proofs = arrayOf(proofDecoder, MAX_SIGNERS + 1)(outer[1]!, 'proofs');
    value = decodeCanonical(body, MAX_TX_SIZE);
  } catch (err) {
    malformed(err);
  }
  const tx = decodeTransaction(value);
  if (proofs.length !== tx.signers.length) {
    throw coreError(
      CoreErrorCode.invalidTransaction,
      `${tx.signers.length} signers but ${proofs.length} auth proofs`,
    );
  }
  const message = signerMessage(context, body);
  tx.signers.forEach((signer, i) => {
    const sig = proofs[i]!.signature;
    if (sig === undefined || !verifyRaw(signer.publicKey, message, sig)) {
      throw coreError(CoreErrorCode.invalidTransaction, `signer ${i}: invalid signature`);
    }
  });
  return { hash: sha512_256(raw), size: raw.length, ...tx };
}
