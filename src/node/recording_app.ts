/**
 * The application as the node runs it: every call passes through to the mux application, and each
 * executed block's results are recorded in the block store before the engine commits it, so the API can
 * serve transaction results and events for any stored height.
 */
import type {
  AppInfo,
  Application,
  CheckTxKind,
  CheckTxResponse,
  FinalizeBlockRequest,
  FinalizeBlockResponse,
  InitChainRequest,
  InitChainResponse,
  PrepareProposalRequest,
  ProcessProposalRequest,
} from '../consensus/api/application.ts';
import type { ChainState } from '../consensus/bft/chain_state.ts';
import type { LmdbBlockStore } from '../storage/block_store.ts';

/** Runs `commit` together with whatever must happen atomically with it (the mempool's re-check). */
export type CommitThrough = (height: number, txs: Uint8Array[], commit: () => Promise<void>) => Promise<void>;

/** An `Application` that records block results. */
export class RecordingApplication implements Application {
  readonly #app: Application;
  readonly #store: LmdbBlockStore<ChainState>;
  /** Commits and re-checks the mempool as one step. */
  readonly #commitThrough: CommitThrough;
  #finalized: { height: number; txs: Uint8Array[] } | undefined;
  #applying = false;

  constructor(app: Application, store: LmdbBlockStore<ChainState>, commitThrough: CommitThrough) {
    this.#app = app;
    this.#store = store;
    this.#commitThrough = commitThrough;
  }

  /** Restarts the mempool check state (see `Mempool.commitAndUpdate`). */
  beginRecheck(): void {
    (this.#app as { beginRecheck?(): void }).beginRecheck?.();
  }

  info(): Promise<AppInfo> {
    return this.#app.info();
  }
  initChain(req: InitChainRequest): Promise<InitChainResponse> {
    return this.#app.initChain(req);
  }
  checkTx(tx: Uint8Array, kind: CheckTxKind): Promise<CheckTxResponse> {
    return this.#app.checkTx(tx, kind);
  }
  prepareProposal(req: PrepareProposalRequest): Promise<Uint8Array[]> {
    return this.#app.prepareProposal(req);
  }
  processProposal(req: ProcessProposalRequest): Promise<boolean> {
    return this.#app.processProposal(req);
  }
  /** True from a block's execution until its commit settles (background work such as pruning waits). */
  get applying(): boolean {
    return this.#applying;
  }
  async finalizeBlock(req: FinalizeBlockRequest): Promise<FinalizeBlockResponse> {
    this.#applying = true;
    try {
      const resp = await this.#app.finalizeBlock(req);
      await this.#store.saveResults(req.height, resp);
      this.#finalized = { height: req.height, txs: req.txs };
      return resp;
    } catch (err) {
      this.#applying = false;
      throw err;
    }
  }
  async commit(): Promise<void> {
    const finalized = this.#finalized;
    this.#finalized = undefined;
    try {
      if (!finalized) return await this.#app.commit();
      return await this.#commitThrough(finalized.height, finalized.txs, () => this.#app.commit());
    } finally {
      this.#applying = false;
    }
  }
}
