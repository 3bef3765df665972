/**
 * The EVM ParaTime run in process as a node's runtime client sees it, for the JSON-RPC and index tests:
 * the real `EvmRuntime` over an in-memory state store, admission by its own check into a real transaction
 * pool (future nonces wait there, as on a node), and `mine()` executing
 * the pending transactions as the next round (a runtime block chained by header hash, its transactions
 * with results and events recorded as the node's history records them). Only the parts of the runtime
 * client the endpoint uses are served; the others refuse.
 */
import type { CborValue } from '../../../src/codec/cbor.ts';
import { decodeCanonical, encodeCanonical } from '../../../src/codec/cbor.ts';
import { sha512_256 } from '../../../src/crypto/hash.ts';
import {
  type AnnotatedBlock,
  ROUND_LATEST,
  type RuntimeClientBackend,
  RuntimeClientErrors,
  type TransactionWithResult,
} from '../../../src/runtime/node/client/api.ts';
import { isFutureNonce } from '../../../src/runtime/node/executor/batch_select.ts';
import { RuntimeTxPool } from '../../../src/runtime/node/executor/tx_pool.ts';
import { executeBatchAsync } from '../../../src/runtime/process/sdk/batch.ts';
import { eventsOfTx } from '../../../src/runtime/protocol/events.ts';
import { type Block, genesisBlock, HeaderType, nextBlock } from '../../../src/services/roothash/api/block.ts';
import { RUNTIME_ID, setup } from '../../runtime/process/paratimes/evm/helpers.ts';

const TIME = 1_700_000_000;

/** An in-process EVM ParaTime with a block history. */
export class EvmChain implements RuntimeClientBackend {
  readonly runtimeId = RUNTIME_ID;
  readonly #rt = setup();
  readonly #blocks: Block[] = [];
  readonly #txs: TransactionWithResult[][] = [];
  /** Admitted transactions waiting for `mine()`, held as a node's pool holds them. */
  readonly #pending = new RuntimeTxPool({ maxTxs: 10_000, maxBytes: 1 << 26 });
  readonly #watchers = new Set<(b: AnnotatedBlock) => void>();

  constructor() {
    this.#blocks.push(genesisBlock(RUNTIME_ID, 0n, this.#rt.root, TIME));
    this.#txs.push([]);
  }

  /** The newest block. */
  get head(): Block {
    return this.#blocks[this.#blocks.length - 1]!;
  }

  /** Executes the pending transactions as the next round; returns that round. */
  async mine(): Promise<bigint> {
    const previous = this.head;
    const inputs = this.#pending.peek(Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    this.#pending.remove(inputs.map((tx) => sha512_256(tx)));
    const round = previous.header.round + 1n;
    const out = await executeBatchAsync(this.#rt.app, this.#rt.store, {
      round,
      state_root: previous.header.state_root,
      consensus_height: round,
      epoch: 1n,
      timestamp: BigInt(TIME) + round,
      max_messages: 16,
      inputs,
      in_msgs: [],
    });
    const block = nextBlock(previous, TIME + Number(round), HeaderType.normal, out.header);
    this.#blocks.push(block);
    this.#txs.push(
      inputs.map((tx, i) => ({
        tx,
        result: out.results[i]!,
        events: eventsOfTx(out.io_write_log, out.tx_hashes[i]!),
      })),
    );
    for (const w of this.#watchers) w({ consensusHeight: round, block });
    return round;
  }

  hosts(id: Uint8Array): boolean {
    return Buffer.compare(id, RUNTIME_ID) === 0;
  }

  async submitTxNoWait(_id: Uint8Array, tx: Uint8Array): Promise<void> {
    const h = this.head.header;
    const res = await this.#rt.app.checkTx(this.#rt.store.reader(h.state_root), tx, {
      round: h.round + 1n,
      state_root: h.state_root,
      consensus_height: h.round,
      epoch: 1n,
    });
    if ((res.error.code ?? 0) !== 0 && !isFutureNonce(res))
      throw RuntimeClientErrors.checkTxFailed(res.error);
    this.#pending.add(tx, res.meta);
  }

  /** Adds `tx` to the next round without checking it, as another node's proposer may (a stale copy). */
  includeUnchecked(tx: Uint8Array): void {
    this.#pending.add(tx);
  }

  submitTx(): never {
    throw RuntimeClientErrors.internal('not served by the test chain');
  }

  checkTx(): never {
    throw RuntimeClientErrors.internal('not served by the test chain');
  }

  genesisBlock(): Block {
    return this.#blocks[0]!;
  }

  block(_id: Uint8Array, round: bigint): Block {
    const b = round === ROUND_LATEST ? this.head : this.#blocks[Number(round)];
    if (b === undefined) throw RuntimeClientErrors.notFound('block');
    return b;
  }

  lastRetainedBlock(): Block {
    return this.#blocks[0]!;
  }

  transactions(_id: Uint8Array, round: bigint): TransactionWithResult[] {
    return this.#txs[Number(round)] ?? [];
  }

  unconfirmedTransactions(): Uint8Array[] {
    return this.#pending.all();
  }

  pendingNonce(_id: Uint8Array, sender: Uint8Array, stateNonce: bigint): bigint {
    return this.#pending.nextNonce(sender, stateNonce);
  }

  async query(_id: Uint8Array, round: bigint, method: string, args: CborValue): Promise<CborValue> {
    const b = this.block(RUNTIME_ID, round);
    return this.#rt.app.query(
      this.#rt.store.reader(b.header.state_root),
      method,
      decodeCanonical(encodeCanonical(args)),
      { round: b.header.round, state_root: b.header.state_root, consensus_height: round, epoch: 1n },
    );
  }

  watchBlocks(_id: Uint8Array, onBlock: (b: AnnotatedBlock) => void): () => void {
    this.#watchers.add(onBlock);
    return () => this.#watchers.delete(onBlock);
  }
}
