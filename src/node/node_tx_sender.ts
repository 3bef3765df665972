/**
 * Consensus transactions a node signs with its own node key (registration renewal, VRF proofs, executor
 * commitments): one nonce sequence for all of them, so transactions built in the same block by different
 * parts of the node get consecutive nonces instead of colliding. The sequence continues from the last
 * nonce used while that is ahead of the committed one; a refused submission, or pending nonces that stop
 * advancing for a while (a transaction dropped from the mempool), restart it from the committed nonce.
 */
import {
  encodeSignedTransaction,
  signTransaction,
  type UnsignedTransaction,
} from '../consensus/api/transaction.ts';
import { addressFromPublicKey } from '../crypto/address.ts';
import type { Ed25519KeyPair } from '../crypto/ed25519.ts';
import { StakingStateReader } from '../services/staking/state.ts';
import type { StateReader } from '../state/api.ts';

/** Heights the committed nonce may stand still behind ours before the sequence restarts from it. */
export const STALLED_NONCE_HEIGHTS = 20;

/** A transaction to send, without nonce and fee. */
export type NodeTx = Omit<UnsignedTransaction, 'nonce' | 'fee'>;

/** Signs and submits the node's own transactions with consecutive nonces. */
export class NodeTxSender {
  readonly #signer: Ed25519KeyPair;
  readonly #chainContext: string;
  readonly #submit: (tx: Uint8Array) => Promise<void>;
  #next: bigint | undefined;
  /** The committed nonce last seen and the height it was first seen at. */
  #committed = { nonce: -1n, since: 0 };

  constructor(signer: Ed25519KeyPair, chainContext: string, submit: (tx: Uint8Array) => Promise<void>) {
    this.#signer = signer;
    this.#chainContext = chainContext;
    this.#submit = submit;
  }

  /** Signs `tx` with the next nonce (given committed `state` at `height`) and submits it. */
  send(state: StateReader, height: number, tx: NodeTx, gas: bigint): Promise<void> {
    const address = addressFromPublicKey(this.#signer.publicKey);
    const committed = new StakingStateReader(state).account(address).general.nonce;
    if (committed !== this.#committed.nonce) this.#committed = { nonce: committed, since: height };
    const stalled = height - this.#committed.since >= STALLED_NONCE_HEIGHTS;
    const nonce = this.#next !== undefined && this.#next > committed && !stalled ? this.#next : committed;
    // Signed before the sequence moves: a transaction that cannot be encoded must not leave a nonce gap.
    const signed = signTransaction(
      this.#signer,
      { ...tx, nonce, fee: { amount: 0n, gas } },
      this.#chainContext,
    );
    if (stalled) this.#committed.since = height;
    this.#next = nonce + 1n;
    return this.#submit(encodeSignedTransaction(signed)).catch((err: unknown) => {
      this.#next = undefined;
      throw err;
    });
  }
}
