/**
 * The wire format of transaction gossip (consensus and runtime transactions alike): one message carries a
 * batch of signed transactions, a CBOR array of byte strings, so a node under load signs, sends and checks
 * one gossip envelope per batch rather than one per transaction (the envelope's own signature cost more
 * than the transaction's); and the publisher that gathers them.
 */
import { decodeCanonical, encodeCanonical } from '../codec/cbor.ts';
import { arrayOf, bytes } from '../codec/schema.ts';
import type { P2PHost } from './api.ts';

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

/** How long a transaction to gossip waits for others to share its message. */
export const TX_GOSSIP_FLUSH_MS = 10;
/** Bytes of transactions after which a batch is sent at once. */
export const TX_GOSSIP_BATCH_BYTES = 256 * 1024;

/** Gossips transactions on a topic in batches: one message per `TX_GOSSIP_FLUSH_MS` or `TX_GOSSIP_BATCH_BYTES`. */
export class TxBatchPublisher {
  readonly #host: P2PHost;
  readonly #topic: string;
  #pending: Uint8Array[] = [];
  #pendingBytes = 0;
  #timer: NodeJS.Timeout | undefined;

  constructor(host: P2PHost, topic: string) {
    this.#host = host;
    this.#topic = topic;
  }

  /** Queues `tx` for the next batch. */
  publish(tx: Uint8Array): void {
    if (this.#pendingBytes + tx.length > TX_GOSSIP_BATCH_BYTES) this.flush();
    this.#pending.push(tx);
    this.#pendingBytes += tx.length;
    this.#timer ??= setTimeout(() => this.flush(), TX_GOSSIP_FLUSH_MS);
  }

  /** Sends the batch gathered so far (if any) now. */
  flush(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#pending.length === 0) return;
    const batch = encodeTxBatch(this.#pending);
    this.#pending = [];
    this.#pendingBytes = 0;
    void this.#host.publish(this.#topic, batch).catch(() => undefined);
  }
}
