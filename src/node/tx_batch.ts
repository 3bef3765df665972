/**
 * The wire format of transaction gossip: one message carries a batch of signed transactions, a CBOR array
 * of byte strings, so a node under load signs, sends and checks one gossip envelope per batch rather than
 * one per transaction (the envelope's own signature cost more than the transaction's).
 */
import { decodeCanonical, encodeCanonical } from '../codec/cbor.ts';
import { arrayOf, bytes } from '../codec/schema.ts';

/** Most transactions in one gossiped batch. */
export const MAX_TX_BATCH_ITEMS = 8192;

const txBatchDecoder = arrayOf(bytes(), MAX_TX_BATCH_ITEMS);

/** Encodes a batch of signed transactions for gossip. */
export function encodeTxBatch(txs: readonly Uint8Array[]): Uint8Array {
  return encodeCanonical(txs);
}

/** Strictly decodes a gossiped batch (throws `CodecError` on anything else). */
export function decodeTxBatch(data: Uint8Array): Uint8Array[] {
  return txBatchDecoder(decodeCanonical(data, data.length), 'tx_batch');
}
