/**
 * A local network's chain run in process: the node's own assembled services over memory state, started
 * from the network's genesis file, with blocks made on demand and transactions signed by its funded test
 * accounts — the consensus side of the network without starting any node.
 */
import { fromHex } from '../../src/codec/bytes.ts';
import { encodeSignedTransaction, signTransaction } from '../../src/consensus/api/transaction.ts';
import { addressFromPublicKey } from '../../src/crypto/address.ts';
import { Ed25519KeyPair } from '../../src/crypto/ed25519.ts';
import { chainContextOf, type GenesisDocument } from '../../src/genesis/document.ts';
import { genesisSections } from '../../src/genesis/sections.ts';
import type { LocalnetManifest } from '../../src/localnet/manifest.ts';
import { assembleServices } from '../../src/services/assemble.ts';
import { StakingStateReader } from '../../src/services/staking/state.ts';
import { memoryState } from '../../src/state/overlay.ts';

/** The chain of a prepared local network, one block at a time. */
export class LocalnetChain {
  readonly state = memoryState();
  readonly chainContext: string;
  /** Height of the next block. */
  height: number;
  readonly #mux;
  readonly #base: number;
  readonly #interval: number;
  readonly #time: number;

  constructor(doc: GenesisDocument) {
    this.chainContext = chainContextOf(doc);
    this.#mux = assembleServices({ chainContext: this.chainContext, sanityChecks: true }).mux;
    this.#base = Number(doc.height) - 1;
    this.#interval = Number(doc.beacon.params.vrf_parameters?.interval ?? 0n);
    this.#time = doc.genesis_time;
    this.#mux.initChain(this.state, this.#base, this.#time, genesisSections(doc, this.chainContext));
    this.height = this.#base + 1;
  }

  /** Runs one block with `txs`; returns the transaction results. */
  block(txs: Uint8Array[] = []) {
    const height = this.height++;
    return this.#mux.executeBlock(this.state, {
      height,
      time: this.#time + height,
      proposer: new Uint8Array(0),
      lastCommit: [],
      misbehavior: [],
      txs,
    }).txResults;
  }

  /** Runs empty blocks through the first block of `epoch`. */
  advanceToEpoch(epoch: number): void {
    while (this.height <= this.#base + epoch * this.#interval) this.block();
  }

  /** A transaction signed by the network's first test account (zero fee, ample gas). */
  signByTestAccount(net: LocalnetManifest, method: string, body: unknown): Uint8Array {
    const key = Ed25519KeyPair.fromSeed(fromHex(net.accounts[0]!.seed_hex));
    const nonce = new StakingStateReader(this.state).account(addressFromPublicKey(key.publicKey)).general
      .nonce;
    const tx = { nonce, method, fee: { amount: 0n, gas: 1_000_000n }, body: body as never };
    return encodeSignedTransaction(signTransaction(key, tx, this.chainContext));
  }
}
