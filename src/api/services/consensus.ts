/**
 * `oasis-core.Consensus`: chain context and genesis, blocks and their transactions and results, status,
 * nonces, gas estimates, and transaction submission (SubmitTx waits until the transaction is in a block
 * and returns its result error, as oasis-core does).
 */
import type { CborValue } from '../../codec/cbor.ts';
import { encodeCanonical } from '../../codec/cbor.ts';
import { quantityToBytes } from '../../codec/quantity.ts';
import { bytes, struct, uint } from '../../codec/schema.ts';
import type { TxResult } from '../../consensus/api/application.ts';
import { ConsensusErrors, transactionDecoder } from '../../consensus/api/transaction.ts';
import { type MerkleProof, merkleProofs, sha256 } from '../../crypto/merkle.ts';
import { signedDecoder } from '../../crypto/signature.ts';
import { CodedError } from '../../errors.ts';
import { toClientEvents } from '../events.ts';
import { type ApiMethod, type UnaryMethod, unaryMethod } from '../method.ts';
import { ConsensusStatusState } from '../node_status.ts';
import { decodeRequestWith, heightOf, prunedHeightError } from '../queries.ts';

/** A committed block as the API serves it. */
export interface ApiBlock {
  height: number;
  hash: Uint8Array;
  /** Block time, unix seconds. */
  time: number;
  /** State root after executing the block. */
  stateRoot: Uint8Array;
  /** Encoded block size in bytes. */
  size: number;
  /** Backend-specific metadata (our encoded header). */
  meta: Uint8Array;
  txs: Uint8Array[];
  results: TxResult[];
}

/** A committed transaction: its result and where it is (height, index in the block). */
export interface IncludedTx {
  result: TxResult;
  height: number;
  index: number;
}

/** What the node provides to the Consensus service. */
export interface ConsensusBackend {
  chainContext: string;
  /** The genesis document as its CBOR value. */
  genesisDocument(): CborValue;
  genesisHeight: number;
  /** Hash of the genesis-height block (empty before it exists), known even once it is pruned. */
  genesisHash(): Uint8Array;
  latestHeight(): number;
  /** Lowest height whose block, results and state are kept; below it queries get consensus/3. */
  lastRetainedHeight(): number;
  /** A committed block with its results; undefined when not stored (or pruned). */
  block(height: number): ApiBlock | undefined;
  /** Adds to the mempool (throws its coded error) and resolves once in a block, with its result and place. */
  submitTx(raw: Uint8Array, signal: AbortSignal): Promise<IncludedTx>;
  /** Adds to the mempool (throws its coded error). */
  submitTxNoWait(raw: Uint8Array): Promise<void>;
  /** Gas the transaction would use from `signer`. */
  estimateGas(signer: Uint8Array, txCbor: CborValue): bigint;
  /** The account nonce of `address` at `height` (0 = latest). */
  signerNonce(address: Uint8Array, height: number): bigint;
  /** The epoch at the latest height. */
  latestEpoch(): bigint;
  /** A genesis document recreating the state at `height` (0 = latest), as its CBOR value. */
  stateToGenesis(height: number): CborValue;
  isValidator: boolean;
  /** `features` bits GetStatus reports (oasis-core FeatureServices 1, FeatureFullNode 2, FeatureArchiveNode 4); default 0. */
  features?: number;
  /** Streams blocks as they are committed until `signal` aborts. */
  watchBlocks(signal: AbortSignal): AsyncIterable<ApiBlock>;
  /** The lowest gas price a transaction may offer (the consensus `min_gas_price` in effect). */
  minGasPrice(): bigint;
  /** Transactions waiting in the mempool, in the order a proposal would take them. */
  unconfirmedTransactions(): Uint8Array[];
}

const SERVICE = 'oasis-core.Consensus';
const STATE_ROOT_TYPE = 1;
const ZERO_NAMESPACE = new Uint8Array(32);

/** The client shape of a block. */
export function blockToApi(b: ApiBlock): Record<string, unknown> {
  return {
    height: b.height,
    hash: b.hash,
    time: b.time,
    state_root: { ns: ZERO_NAMESPACE, version: b.height, root_type: STATE_ROOT_TYPE, hash: b.stateRoot },
    size: b.size,
    meta: b.meta,
  };
}

/** The client shape of a transaction result. */
export function resultToApi(r: TxResult, height: number): Record<string, unknown> {
  const error: Record<string, unknown> = {};
  if (r.error) {
    if (r.error.module) error.module = r.error.module;
    if (r.error.code) error.code = r.error.code;
    if (r.error.message) error.message = r.error.message;
  }
  const out: Record<string, unknown> = { error, events: toClientEvents(r.events, height) };
  if (r.gasUsed > 0n) out.gas_used = r.gasUsed;
  return out;
}

const estimateGasRequest = struct({ signer: bytes(32), transaction: (v, p) => transactionDecoder(v, p) });
const nonceRequest = struct({ account_address: bytes(21), height: uint });

function signedTxBytes(request: CborValue | undefined): Uint8Array {
  const signed = decodeRequestWith(signedDecoder, request);
  return encodeCanonical(signed);
}

/** A transaction's inclusion proof as oasis-core sends it: CBOR of CometBFT's `merkle.Proof`. */
export function encodeTxProof(p: MerkleProof): Uint8Array {
  return encodeCanonical({ total: p.total, index: p.index, leaf_hash: p.leafHash, aunts: p.aunts });
}

/** The Consensus methods. */
export function consensusMethods(backend: ConsensusBackend): ApiMethod[] {
  const unary = (name: string, handler: UnaryMethod['handler']) => unaryMethod(SERVICE, name, handler);
  const blockAt = (request: CborValue | undefined): ApiBlock => {
    const h = heightOf(request) || backend.latestHeight();
    const b = backend.block(h);
    if (b) return b;
    const retained = backend.lastRetainedHeight();
    if (h < retained) throw prunedHeightError(h, retained);
    throw ConsensusErrors.versionNotFound(`block ${h} is not available`);
  };
  const status = () => {
    const latest = backend.block(backend.latestHeight());
    const retainedHeight = backend.lastRetainedHeight();
    // Empty if the pruner moved the window on meanwhile, as oasis-core leaves it when the block is gone.
    const retained = retainedHeight <= (latest?.height ?? 0) ? backend.block(retainedHeight) : undefined;
    return {
      status: latest ? ConsensusStatusState.ready : ConsensusStatusState.syncing,
      version: { major: 7 },
      backend: 'tendermint',
      features: backend.features ?? 0,
      latest_height: latest?.height ?? 0,
      latest_hash: latest?.hash ?? new Uint8Array(0),
      latest_time: latest?.time ?? 0,
      latest_epoch: backend.latestEpoch(),
      latest_state_root: latest
        ? blockToApi(latest).state_root
        : { ns: ZERO_NAMESPACE, version: 0, root_type: 1, hash: new Uint8Array(32) },
      latest_block_size: latest?.size ?? 0,
      genesis_height: backend.genesisHeight,
      genesis_hash: backend.genesisHash(),
      last_retained_height: retainedHeight,
      last_retained_hash: retained?.hash ?? new Uint8Array(0),
      chain_context: backend.chainContext,
      is_validator: backend.isValidator,
    };
  };
  return [
    unary('GetChainContext', async () => backend.chainContext),
    unary('GetGenesisDocument', async () => backend.genesisDocument()),
    unary('GetLatestHeight', async () => backend.latestHeight()),
    unary('GetLastRetainedHeight', async () => backend.lastRetainedHeight()),
    unary('GetStatus', async () => status()),
    unary('StateToGenesis', async (r) => backend.stateToGenesis(heightOf(r))),
    unary('GetBlock', async (r) => blockToApi(blockAt(r))),
    unary('GetTransactions', async (r) => blockAt(r).txs),
    unary('GetTransactionsWithResults', async (r) => {
      const b = blockAt(r);
      return { transactions: b.txs, results: b.results.map((x) => resultToApi(x, b.height)) };
    }),
    unary('GetTransactionsWithProofs', async (r) => {
      const b = blockAt(r);
      return { transactions: b.txs, proofs: merkleProofs(b.txs.map((tx) => sha256(tx))).map(encodeTxProof) };
    }),
    unary('SubmitTxWithProof', async (r, ctx) => {
      const { result, height, index } = await backend.submitTx(signedTxBytes(r), ctx.signal);
      if (result.error) throw new CodedError(result.error.module, result.error.code, result.error.message);
      // The proof of the transaction's place under its block's data_hash.
      const proofs = merkleProofs(blockAt(height).txs.map((tx) => sha256(tx)));
      return { height, raw_proof: encodeTxProof(proofs[index]!) };
    }),
    unary('MinGasPrice', async () => quantityToBytes(backend.minGasPrice())),
    unary('GetUnconfirmedTransactions', async () => backend.unconfirmedTransactions()),
    unary('GetSignerNonce', async (r) => {
      const q = decodeRequestWith(nonceRequest, r);
      return backend.signerNonce(q.account_address, q.height);
    }),
    unary('EstimateGas', async (r) => {
      const q = decodeRequestWith(estimateGasRequest, r);
      return backend.estimateGas(q.signer, (r as Record<string, CborValue>).transaction!);
    }),
    unary('SubmitTxNoWait', async (r) => {
      await backend.submitTxNoWait(signedTxBytes(r));
      return null;
    }),
    unary('SubmitTx', async (r, ctx) => {
      const { result } = await backend.submitTx(signedTxBytes(r), ctx.signal);
      if (result.error) throw new CodedError(result.error.module, result.error.code, result.error.message);
      return null;
    }),
    {
      service: SERVICE,
      name: 'WatchBlocks',
      kind: 'stream',
      public: true,
      handler: async function* (_r, ctx) {
        for await (const b of backend.watchBlocks(ctx.signal)) yield blockToApi(b);
      },
    },
  ];
}
