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
import type { LmdbBlockStore } from '../storage/block_store.ts';

/** An `Application` that records block results. */
export class RecordingApplication implements Application {
  readonly #app: Application;
  readonly #store: LmdbBlockStore;
  readonly #onExecuted: (height: number, resp: FinalizeBlockResponse) => void;

  constructor(
    app: Application,
    store: LmdbBlockStore,
    onExecuted: (height: number, resp: FinalizeBlockResponse) => void = () => {},
  ) {
    this.#app = app;
    this.#store = store;
    this.#onExecuted = onExecuted;
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
  async finalizeBlock(req: FinalizeBlockRequest): Promise<FinalizeBlockResponse> {
    const resp = await this.#app.finalizeBlock(req);
    await this.#store.saveResults(req.height, resp);
    this.#onExecuted(req.height, resp);
    return resp;
  }
  commit(): Promise<void> {
    return this.#app.commit();
  }
}
