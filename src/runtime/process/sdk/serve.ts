/**
 * The runtime process side of the host protocol: connect to the host socket named by `OASIS_WORKER_HOST`,
 * answer the handshake and the host's requests with a `RuntimeApp`, and exit when the host goes away (a
 * runtime outliving its host would be an orphan). State lives in memory; a root the runtime does not hold
 * is caught up on from the newest root it holds through the write logs the host applied since (a round
 * this node followed without executing it), or else (after a restart) fetched from the host page by page;
 * either is accepted only if it hashes to that root. A query at an older round than the working set holds
 * (the host may keep every round's state) fetches that round's state into a small cache of its own, so
 * history queries never hold more than a few extra copies of the state in memory nor push the roots
 * execution builds on out of the working set.
 */
import { connect } from 'node:net';
import { bytesEqual, toHex } from '../../../codec/bytes.ts';
import { EMPTY_HASH } from '../../../crypto/hash.ts';
import { type RequestHandler, RhpConnection } from '../../protocol/connection.ts';
import { RhpErrorCode, rhpError } from '../../protocol/errors.ts';
import type {
  RuntimeCheckTxBatchRequest,
  RuntimeExecuteTxBatchRequest,
  RuntimeInfoRequest,
  RuntimeQueryRequest,
  WriteLogEntry,
} from '../../protocol/types.ts';
import { MemoryTreeStore } from '../../state/tree_store.ts';
import type { RuntimeApp } from './app.ts';
import { executeBatchAsync } from './batch.ts';

/** Protocol version runtimes built on this SDK speak. */
export const RUNTIME_PROTOCOL_VERSION = Object.freeze({ major: 1 });

const SYNC_PAGE = 10_000;
/** States of older rounds held for queries at once (each a full copy, fetched from the host). */
export const QUERIED_ROOTS_KEPT = 2;
/** How long a key request may take (the host's P2P request to the key manager has its own, shorter deadline). */
const KEY_REQUEST_TIMEOUT_MS = 30_000;

/** Serves one `RuntimeApp` over an RHP connection (exported separately so tests can run it in process). */
export class RuntimeServer {
  readonly #app: RuntimeApp;
  readonly #store = new MemoryTreeStore();
  /** States fetched for queries at rounds the working store no longer (or never) held. */
  readonly #queried = new MemoryTreeStore(QUERIED_ROOTS_KEPT);
  /** Fetches in progress, by target store and root, so concurrent requests share one. */
  readonly #fetching = new Map<string, Promise<MemoryTreeStore>>();
  #connection: RhpConnection | null = null;
  #initialized = false;
  /** The newest root this runtime computed or caught up on: where a catch-up by write logs starts. */
  #latestRoot: Uint8Array = EMPTY_HASH;

  constructor(app: RuntimeApp) {
    this.#app = app;
  }

  /** The state store (for tests and tools). */
  get store(): MemoryTreeStore {
    return this.#store;
  }

  /** Attaches to a connection; its requests are answered from now on. */
  attach(connection: RhpConnection): void {
    this.#connection = connection;
    this.#app.attachHost?.({
      keyPair: (request) => connection.request('HostKeyManagerRequest', request, KEY_REQUEST_TIMEOUT_MS),
    });
  }

  /** Request handler to give the connection. */
  readonly handle: RequestHandler = async (kind, body) => {
    switch (kind) {
      case 'RuntimeInfoRequest':
        return { kind: 'RuntimeInfoResponse', body: this.#init(body as RuntimeInfoRequest) };
      case 'RuntimePingRequest':
      case 'RuntimeAbortRequest':
        // Batches run to completion synchronously, so by the time an abort is read nothing is running.
        return { kind: 'Empty', body: {} };
      case 'RuntimeCheckTxBatchRequest': {
        const req = body as RuntimeCheckTxBatchRequest;
        const state = (await this.#state(req.state_root)).reader(req.state_root);
        return {
          kind: 'RuntimeCheckTxBatchResponse',
          body: { results: await Promise.all(req.inputs.map((raw) => this.#app.checkTx(state, raw, req))) },
        };
      }
      case 'RuntimeExecuteTxBatchRequest': {
        const req = body as RuntimeExecuteTxBatchRequest;
        this.#requireInit();
        const response = await executeBatchAsync(this.#app, await this.#state(req.state_root), req);
        this.#latestRoot = response.header.state_root;
        return { kind: 'RuntimeExecuteTxBatchResponse', body: response };
      }
      case 'RuntimeQueryRequest': {
        const req = body as RuntimeQueryRequest;
        const state = (await this.#state(req.state_root, true)).reader(req.state_root);
        return {
          kind: 'RuntimeQueryResponse',
          body: { data: await this.#app.query(state, req.method, req.args, req) },
        };
      }
      default:
        throw rhpError(RhpErrorCode.unsupported, `${kind} is not served by the runtime`);
    }
  };

  #init(info: RuntimeInfoRequest): {
    protocol_version: typeof RUNTIME_PROTOCOL_VERSION;
    runtime_version: object;
  } {
    const genesis = this.#app.init(info);
    this.#latestRoot = this.#store.apply(EMPTY_HASH, genesis);
    this.#store.pin(this.#latestRoot);
    this.#initialized = true;
    return { protocol_version: RUNTIME_PROTOCOL_VERSION, runtime_version: this.#app.version };
  }

  #requireInit(): void {
    if (!this.#initialized)
      throw rhpError(RhpErrorCode.handshake, 'runtime not initialized (no RuntimeInfoRequest yet)');
  }

  /**
   * A store holding `root`: the working store (caught up on through the host's write logs when they lead
   * there), or for a query the cache of older states; a root neither holds is fetched from the host (into
   * the working store, or for a query into the cache) and verified.
   */
  async #state(root: Uint8Array, forQuery = false): Promise<MemoryTreeStore> {
    this.#requireInit();
    if (this.#store.has(root)) return this.#store;
    if (forQuery && this.#queried.has(root)) return this.#queried;
    const connection = this.#connection;
    if (connection === null) throw rhpError(RhpErrorCode.stateUnavailable, `no state for ${toHex(root)}`);
    const key = `${forQuery ? 'q' : 'w'}${toHex(root)}`;
    let fetching = this.#fetching.get(key);
    if (fetching === undefined) {
      fetching = this.#obtain(connection, root, forQuery).finally(() => this.#fetching.delete(key));
      this.#fetching.set(key, fetching);
    }
    return fetching;
  }

  async #obtain(connection: RhpConnection, root: Uint8Array, forQuery: boolean): Promise<MemoryTreeStore> {
    if (await this.#catchUp(connection, root)) return this.#store;
    const target = forQuery ? this.#queried : this.#store;
    await this.#fetch(connection, root, target);
    if (!forQuery) this.#latestRoot = root;
    return target;
  }

  /** Applies the host's write logs from the newest root held to `root`; false when there are none. */
  async #catchUp(connection: RhpConnection, root: Uint8Array): Promise<boolean> {
    const from = this.#latestRoot;
    if (!this.#store.has(from)) return false;
    let diff: { write_logs: WriteLogEntry[][] };
    try {
      diff = await connection.request('HostStorageDiffRequest', { from, to: root });
    } catch {
      return false; // the host kept no chain of logs from here (or `root` is older)
    }
    let at = from;
    for (const log of diff.write_logs) at = this.#store.apply(at, log);
    if (!bytesEqual(at, root)) return false;
    this.#latestRoot = root;
    return true;
  }

  /** Fetches the state of `root` from the host into `target`, checking that it hashes to `root`. */
  async #fetch(connection: RhpConnection, root: Uint8Array, target: MemoryTreeStore): Promise<void> {
    const entries: WriteLogEntry[] = [];
    let after: Uint8Array | undefined;
    for (;;) {
      const page = await connection.request('HostStorageSyncRequest', {
        root,
        limit: SYNC_PAGE,
        ...(after ? { after } : {}),
      });
      for (const [k, v] of page.entries) entries.push([k, v]);
      if (page.entries.length < SYNC_PAGE) break;
      after = page.entries[page.entries.length - 1]![0];
    }
    const rebuilt = target.apply(EMPTY_HASH, entries);
    if (!bytesEqual(rebuilt, root)) {
      throw rhpError(
        RhpErrorCode.stateUnavailable,
        `state from host hashes to ${toHex(rebuilt)}, not ${toHex(root)}`,
      );
    }
  }
}

/** Runs `app` as a runtime process: connects to the host and exits when the connection ends. */
export function serveRuntime(app: RuntimeApp, socketPath = process.env.OASIS_WORKER_HOST): void {
  if (!socketPath) {
    process.stderr.write('OASIS_WORKER_HOST is not set: this program must be started by a runtime host\n');
    process.exit(2);
  }
  const server = new RuntimeServer(app);
  const socket = connect(socketPath);
  const connection = new RhpConnection(socket, { onRequest: server.handle });
  server.attach(connection);
  void connection.closed.then((reason) => {
    process.stderr.write(`host connection closed: ${reason.message}\n`);
    process.exit(reason.code === RhpErrorCode.runtimeDied ? 0 : 1);
  });
}
