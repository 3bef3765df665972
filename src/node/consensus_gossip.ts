/**
 * Consensus and transaction traffic over the P2P host: consensus messages are gossiped on one topic per
 * chain and sent point-to-point (catch-up) over a request protocol; transactions are gossiped in batches on
 * their own topic into the mempool. Malformed messages are rejected (and count against the sender).
 */

import { ConsensusErrors, transactionHash } from '../consensus/api/transaction.ts';
import type { ConsensusTransport } from '../consensus/bft/host.ts';
import {
  type ConsensusMessage,
  decodeMessage,
  encodeMessage,
  MAX_MESSAGE_BYTES,
} from '../consensus/bft/messages.ts';
import { CodedError } from '../errors.ts';
import type { Mempool } from '../mempool/mempool.ts';
import type { GossipVerdict, P2PHost } from '../p2p/api.ts';
import { decodeTxBatch, TxBatchPublisher } from '../p2p/tx_batch.ts';

/** Topic and protocol names of one chain. */
export function consensusTopics(chainContext: string) {
  return {
    consensus: `oasis-ts/${chainContext}/consensus/1`,
    direct: `/oasis-ts/${chainContext}/consensus-direct/1`,
    txs: `oasis-ts/${chainContext}/txs/2`,
  };
}

/** A `ConsensusTransport` over a P2P host; incoming messages go to `deliver`. */
export class P2PConsensusTransport implements ConsensusTransport {
  readonly #host: P2PHost;
  readonly #topics: ReturnType<typeof consensusTopics>;
  #deliver: (from: string, message: ConsensusMessage) => void = () => {};
  #refuse: (from: string, message: ConsensusMessage) => boolean = () => false;

  constructor(host: P2PHost, chainContext: string) {
    this.#host = host;
    this.#topics = consensusTopics(chainContext);
    host.subscribe(this.#topics.consensus, (msg) => this.#receive(msg.from, msg.data));
    host.handle(this.#topics.direct, async (from, data) => {
      if (this.#receive(from, data) === 'reject') throw new Error('malformed consensus message');
      return new Uint8Array(0);
    });
  }

  /** Sets who answers requests for history we no longer keep (they never reach the driver). */
  onPrunedRequest(refuse: (from: string, message: ConsensusMessage) => boolean): void {
    this.#refuse = refuse;
  }

  /** Sets where incoming messages go (the driver). */
  onMessage(deliver: (from: string, message: ConsensusMessage) => void): void {
    this.#deliver = deliver;
  }

  broadcast(message: ConsensusMessage): void {
    void this.#host.publish(this.#topics.consensus, encodeMessage(message)).catch(() => undefined);
  }

  send(peer: string, message: ConsensusMessage): void {
    void this.#host.request(peer, this.#topics.direct, encodeMessage(message)).catch(() => undefined);
  }

  #receive(from: string, data: Uint8Array): GossipVerdict {
    if (data.length > MAX_MESSAGE_BYTES) return 'reject';
    let message: ConsensusMessage;
    try {
      message = decodeMessage(data);
    } catch {
      return 'reject';
    }
    if (!this.#refuse(from, message)) this.#deliver(from, message);
    return 'accept';
  }
}

/**
 * Transaction gossip: transactions that entered our mempool from clients are sent in batches (one message
 * per `TX_GOSSIP_FLUSH_MS` or `TX_GOSSIP_BATCH_BYTES`); each received transaction enters the mempool.
 */
export class TxGossip {
  readonly #mempool: Mempool;
  readonly #publisher: TxBatchPublisher;

  constructor(host: P2PHost, chainContext: string, mempool: Mempool) {
    const topic = consensusTopics(chainContext).txs;
    this.#mempool = mempool;
    this.#publisher = new TxBatchPublisher(host, topic);
    host.subscribe(topic, (msg) => this.#receive(msg.data));
  }

  /**
   * Adds a batch's transactions to the mempool. Relays the batch when any was new; rejects the sender's
   * message when any transaction is malformed or badly signed (never valid anywhere), and ignores it
   * when every transaction was merely stale or known here.
   */
  async #receive(data: Uint8Array): Promise<GossipVerdict> {
    let txs: Uint8Array[];
    try {
      txs = decodeTxBatch(data);
    } catch {
      return 'reject';
    }
    const outcomes = await Promise.allSettled(txs.map((tx) => this.#mempool.add(tx)));
    let verdict: GossipVerdict = 'ignore';
    for (const o of outcomes) {
      if (o.status === 'fulfilled') {
        verdict = 'accept';
        continue;
      }
      const err = o.reason;
      // A transaction valid elsewhere may be stale or already known here: not the sender's fault.
      if (!(err instanceof CodedError) || err.module === 'codec' || err.module === 'signature')
        return 'reject';
    }
    return verdict;
  }

  /** Adds a transaction (a client's or the node's own) to our mempool and gossips it; throws if refused. */
  async submit(tx: Uint8Array): Promise<void> {
    await this.#mempool.add(tx);
    this.publish(tx);
  }

  /**
   * Makes sure a transaction is pending in our mempool: submits it, or finds it already there (the same
   * signed transaction submitted before and not in a block yet, so a second waiting `SubmitTx` waits for
   * the same decision). Throws like `submit` otherwise, e.g. a duplicate of one already in a block.
   */
  async ensurePending(tx: Uint8Array): Promise<void> {
    try {
      await this.submit(tx);
    } catch (err) {
      const { module, code } = ConsensusErrors.duplicateTx();
      if (!CodedError.is(err, module, code) || !this.#mempool.has(transactionHash(tx))) throw err;
    }
  }

  /** Gossips a transaction that entered our mempool from a client, in the next batch. */
  publish(tx: Uint8Array): void {
    this.#publisher.publish(tx);
  }

  /** Sends the batch gathered so far (if any) now. */
  flush(): void {
    this.#publisher.flush();
  }
}
