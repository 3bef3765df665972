/**
 * The ABCI-shaped `Application` the consensus engine drives, built from the service mux over a
 * `VersionedState` (the MKVS): blocks execute into the working state, `commit` makes them a durable
 * version, and mempool checks run against an overlay of the latest committed state.
 */

import { bytesEqual } from '../../codec/bytes.ts';
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
} from '../../consensus/api/application.ts';
import type { StateReader, VersionedState } from '../../state/api.ts';
import { StateOverlay } from '../../state/overlay.ts';
import type { ServiceMux } from './mux.ts';
import type { GenesisSections } from './service.ts';

/** What the application is assembled from. */
export interface MuxApplicationOptions {
  mux: ServiceMux;
  state: VersionedState;
  /** Genesis sections, each decoded by its owning service (read once, at `initChain`). */
  genesis: () => GenesisSections;
}

/** Application over the service mux and a versioned state. */
export class MuxApplication implements Application {
  readonly #mux: ServiceMux;
  readonly #state: VersionedState;
  readonly #genesis: () => GenesisSections;
  /** Height of the block finalized but not yet committed. */
  #pendingHeight: number | undefined;
  #check: StateOverlay;
  /**
   * The transactions this node's last `prepareProposal` kept, and for which height: they passed exactly
   * the sequential check `processProposal` would run, on the same working state (which only changes when
   * a block is finalized, and that clears this), so the proposer need not check its own block twice.
   */
  #prepared: { height: number; txs: Uint8Array[] } | undefined;

  constructor(opts: MuxApplicationOptions) {
    this.#mux = opts.mux;
    this.#state = opts.state;
    this.#genesis = opts.genesis;
    this.#check = this.#freshCheckState();
  }

  #freshCheckState(): StateOverlay {
    const latest = this.#state.latestVersion();
    return new StateOverlay(latest > 0 ? this.#state.at(latest) : this.#state.working());
  }

  /** Read-only state at `height` (0 = latest committed) for query backends. */
  stateAt(height: number): StateReader {
    return this.#state.at(height === 0 ? this.#state.latestVersion() : height);
  }

  async info(): Promise<AppInfo> {
    const lastHeight = this.#state.latestVersion();
    return { lastHeight, lastAppHash: this.#state.rootHash(lastHeight) };
  }

  async initChain(req: InitChainRequest): Promise<InitChainResponse> {
    const { validatorUpdates } = this.#mux.initChain(
      this.#state.working(),
      req.initialHeight - 1,
      req.time,
      this.#genesis(),
    );
    this.#check = this.#freshCheckState();
    return { validators: validatorUpdates, appHash: this.#state.workingRoot() };
  }

  /** Verifies a transaction's signature off the event loop before it waits its turn in the mempool. */
  precheck(tx: Uint8Array): Promise<void> {
    return this.#mux.preverify([tx]);
  }

  async checkTx(tx: Uint8Array, _kind: CheckTxKind): Promise<CheckTxResponse> {
    return this.#mux.checkTx(this.#check, tx, this.#state.latestVersion() + 1);
  }

  /**
   * Keeps, in mempool order, the transactions that fit the byte budget and pass a sequential check
   * (signature, nonce, fee) on a scratch state, so the block carries no transaction that cannot pay.
   */
  async prepareProposal(req: PrepareProposalRequest): Promise<Uint8Array[]> {
    const scratch = new StateOverlay(this.#state.working());
    const out: Uint8Array[] = [];
    let bytes = 0;
    for (const tx of req.txs) {
      if (bytes + tx.length > req.maxTxBytes) continue;
      if (this.#mux.checkTx(scratch, tx, req.height, false).error !== undefined) continue;
      out.push(tx);
      bytes += tx.length;
    }
    this.#prepared = { height: req.height, txs: out };
    return out;
  }

  /** Accepts a proposal whose transactions each pass the same sequential check (no local filters). */
  async processProposal(req: ProcessProposalRequest): Promise<boolean> {
    const prepared = this.#prepared;
    if (prepared?.height === req.height && sameTransactions(prepared.txs, req.txs)) return true;
    await this.#mux.preverify(req.txs);
    const scratch = new StateOverlay(this.#state.working());
    return req.txs.every((tx) => this.#mux.checkTx(scratch, tx, req.height, false).error === undefined);
  }

  async finalizeBlock(req: FinalizeBlockRequest): Promise<FinalizeBlockResponse> {
    if (this.#pendingHeight !== undefined) throw new Error('finalizeBlock: previous block not committed');
    this.#prepared = undefined;
    await this.#mux.preverify(req.txs);
    const out = this.#mux.executeBlock(this.#state.working(), req);
    this.#pendingHeight = req.height;
    return {
      txResults: out.txResults,
      events: out.events,
      validatorUpdates: out.validatorUpdates,
      appHash: this.#state.workingRoot(),
    };
  }

  /** Restarts the mempool check state from the latest committed state (before re-checking the pool). */
  beginRecheck(): void {
    this.#check = this.#freshCheckState();
  }

  async commit(): Promise<void> {
    const height = this.#pendingHeight;
    if (height === undefined) throw new Error('commit: no finalized block');
    await this.#state.commit(height);
    this.#pendingHeight = undefined;
    this.#check = this.#freshCheckState();
  }
}

function sameTransactions(a: readonly Uint8Array[], b: readonly Uint8Array[]): boolean {
  return a.length === b.length && a.every((tx, i) => bytesEqual(tx, b[i]!));
}
