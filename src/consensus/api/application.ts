/**
 * The one interface between the consensus engine and the state machine, shaped like ABCI: the engine
 * orders transactions and decides blocks, the application executes them. The engine knows nothing of
 * staking; the application knows nothing of rounds and votes. Validator-set updates returned by
 * `finalizeBlock` at height H take effect at H+2.
 */

/** A coded error as carried in transaction results (`{module, code}` plus a message). */
export interface ResultError {
  module: string;
  code: number;
  message: string;
}

/** A typed event emitted by a service (e.g. `staking` / `transfer`), with its CBOR-ready value. */
export interface AppEvent {
  /** Service that emitted it, e.g. `staking`. */
  module: string;
  /** Event kind within the service, e.g. `transfer`. */
  kind: string;
  /** CBOR-ready value (field names as oasis-core). */
  value: unknown;
  /** Hash of the transaction that caused it; absent for block-level events. */
  txHash?: Uint8Array;
}

/** A validator as the engine sees it: a consensus public key and its voting power. */
export interface ValidatorUpdate {
  /** 32-byte Ed25519 consensus public key. */
  publicKey: Uint8Array;
  /** Voting power; 0 removes the validator. */
  power: bigint;
}

/** One validator's participation in the commit of the previous block. */
export interface VoteInfo {
  /** Consensus public key. */
  publicKey: Uint8Array;
  power: bigint;
  /** True when its precommit for the block is in the commit. */
  signed: boolean;
}

/** Proven misbehaviour handed to the application for slashing. */
export interface Misbehavior {
  /** Two conflicting votes, or signing a header a light client was attacked with. */
  kind: 'duplicate-vote' | 'light-client-attack';
  /** Consensus public key of the offender. */
  publicKey: Uint8Array;
  /** Height at which it misbehaved. */
  height: number;
  /** Block time (unix seconds) of that height. */
  time: number;
  /** Total voting power of the validator set at that height. */
  totalVotingPower: bigint;
}

/** Chain start parameters. */
export interface InitChainRequest {
  chainId: string;
  /** Genesis time, unix seconds. */
  time: number;
  initialHeight: number;
}

/** What the application answers to `initChain`. */
export interface InitChainResponse {
  /** The genesis validator set. */
  validators: ValidatorUpdate[];
  /** State root after genesis. */
  appHash: Uint8Array;
}

/** Whether a mempool check is of a fresh transaction or a re-check after a block. */
export type CheckTxKind = 'new' | 'recheck';

/** Result of a mempool check. */
export interface CheckTxResponse {
  /** Present when the transaction is rejected. */
  error?: ResultError;
  /** Higher is included first. */
  priority: bigint;
  /** Signer public key (for per-sender nonce ordering). */
  sender?: Uint8Array;
  /** Signer nonce (for per-sender nonce ordering). */
  nonce?: bigint;
  /** Gas the transaction may use. */
  gasWanted: bigint;
}

/** Block context shared by proposal and execution calls. */
export interface BlockContext {
  height: number;
  /** Block time, unix seconds. */
  time: number;
  /** Consensus public key of the proposer. */
  proposer: Uint8Array;
  /** Participation in the previous block's commit (empty at the initial height). */
  lastCommit: VoteInfo[];
  /** Misbehaviour proven by evidence in this block. */
  misbehavior: Misbehavior[];
}

/** Asks the proposer's application to pick and order the block's transactions. */
export interface PrepareProposalRequest extends BlockContext {
  /** Candidate transactions from the mempool, in mempool order. */
  txs: Uint8Array[];
  /** Byte budget for transactions. */
  maxTxBytes: number;
}

/** Asks a validator's application whether a proposed block is acceptable. */
export interface ProcessProposalRequest extends BlockContext {
  txs: Uint8Array[];
  /** Hash of the proposed block. */
  hash: Uint8Array;
}

/** Executes a decided block. */
export interface FinalizeBlockRequest extends BlockContext {
  txs: Uint8Array[];
  /** Hash of the decided block. */
  hash: Uint8Array;
}

/** Result of one transaction in a block. */
export interface TxResult {
  error?: ResultError;
  events: AppEvent[];
  gasUsed: bigint;
}

/** What executing a block produced. */
export interface FinalizeBlockResponse {
  txResults: TxResult[];
  /** Block-level events (begin/end block). */
  events: AppEvent[];
  /** Validator-set changes, effective at height + 2. */
  validatorUpdates: ValidatorUpdate[];
  /** State root after the block (committed by `commit`). */
  appHash: Uint8Array;
}

/** The application's durable position. */
export interface AppInfo {
  /** Last committed height (0 before genesis). */
  lastHeight: number;
  /** State root at that height. */
  lastAppHash: Uint8Array;
}

/** The ABCI-shaped application the engine drives. */
export interface Application {
  /** Where the application's durable state stands (used to replay blocks after a restart). */
  info(): Promise<AppInfo>;
  /** Applies genesis. Called once, before the first block. */
  initChain(req: InitChainRequest): Promise<InitChainResponse>;
  /** Validates a transaction against the latest state for the mempool. */
  checkTx(tx: Uint8Array, kind: CheckTxKind): Promise<CheckTxResponse>;
  /** Lets the proposer choose the block's transactions. */
  prepareProposal(req: PrepareProposalRequest): Promise<Uint8Array[]>;
  /** The validity predicate of a proposed block: true to accept. Must be deterministic. */
  processProposal(req: ProcessProposalRequest): Promise<boolean>;
  /** Executes a decided block. */
  finalizeBlock(req: FinalizeBlockRequest): Promise<FinalizeBlockResponse>;
  /** Makes the last finalized block's state durable. */
  commit(): Promise<void>;
}
