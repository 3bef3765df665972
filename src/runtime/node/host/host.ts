/**
 * The node's handle on one ParaTime: typed async calls (check, execute, query, abort, ping) over the host
 * protocol to a supervised runtime process. The host is also the runtime's storage authority: it replays
 * every executed batch's state write log on its own copy of the state, rejects a batch whose claimed root
 * does not match, and serves that state back to a restarted runtime (`HostStorageSync`), or, to a runtime
 * that did not execute the latest rounds, the write logs that lead there (`HostStorageDiff`). With a persistent
 * store (`LmdbTreeStore`) that state also outlives the node process.
 */

import { bytesEqual, toHex } from '../../../codec/bytes.ts';
import type { CborValue } from '../../../codec/cbor.ts';
import { EMPTY_HASH } from '../../../crypto/hash.ts';
import { CodedError } from '../../../errors.ts';
import { incomingMessageWire } from '../../../services/roothash/api/incoming.ts';
import type { RequestHandler, RhpConnection } from '../../protocol/connection.ts';
import { RHP_MODULE, RhpErrorCode, rhpError } from '../../protocol/errors.ts';
import type { KeyPair, RuntimeKeyRequest } from '../../protocol/keymanager.ts';
import type {
  BlockContext,
  BodyOf,
  HostStorageDiffRequest,
  HostStorageSyncRequest,
  RequestKind,
  ResponseOf,
  RuntimeCheckTxBatchRequest,
  RuntimeExecuteTxBatchRequest,
  RuntimeInfoResponse,
  RuntimeQueryRequest,
  Version,
  WriteLogEntry,
} from '../../protocol/types.ts';
import type { RuntimeStateStore } from '../../state/api.ts';
import { MemoryTreeStore } from '../../state/tree_store.ts';
import type { BackoffOptions } from './backoff.ts';
import { RuntimeSupervisor, type SupervisorEvent } from './supervisor.ts';

/** Protocol major version this host speaks; a runtime reporting another major is refused. */
export const RHP_PROTOCOL_VERSION: Version = Object.freeze({ major: 1 });

/** Largest page of state sent to a restarted runtime per request. */
const MAX_SYNC_PAGE = 10_000;
/** Write logs kept (the newest applied), to hand a runtime that lacks a root the steps to it. */
const KEPT_DIFFS = 32;

/** Configuration of a runtime host. */
export interface RuntimeHostConfig {
  runtimeId: Uint8Array;
  /** Directory holding `host.sock` (keep the path short: UNIX socket paths are limited to ~100 bytes). */
  runtimeDir: string;
  /** Runtime entry point (a .ts file, run through tsx). */
  entry: string;
  consensus: { backend: string; protocolVersion: Version; chainContext: string };
  /** Passed to the runtime in the handshake (e.g. genesis balances). */
  localConfig?: CborValue;
  /** Genesis state write log, applied on the empty root and kept for good. */
  genesisWriteLog?: WriteLogEntry[];
  maxOldSpaceMb?: number;
  callTimeoutMs?: number;
  handshakeTimeoutMs?: number;
  /** How long `abort` waits for the runtime to acknowledge before killing it. */
  abortTimeoutMs?: number;
  backoff?: BackoffOptions;
  /** Where the runtime's state is kept (default: in memory, the last 64 roots plus genesis). */
  state?: RuntimeStateStore;
  /** Answers the runtime's key requests (a confidential runtime's key manager); absent: refused. */
  keyManager?(request: RuntimeKeyRequest): Promise<KeyPair>;
  onEvent?(event: SupervisorEvent): void;
}

/**
 * The block context fields alone. Requests are rebuilt field by field because the runtime decodes
 * strictly: an extra property a caller's object happens to carry would otherwise reach the wire and make
 * the runtime drop the connection as a protocol violation.
 */
function blockContext(r: BlockContext): BlockContext {
  return { round: r.round, state_root: r.state_root, consensus_height: r.consensus_height, epoch: r.epoch };
}

/** A supervised runtime with a typed API. */
export class RuntimeHost {
  readonly #config: RuntimeHostConfig;
  readonly #supervisor: RuntimeSupervisor;
  readonly #state: RuntimeStateStore;
  readonly genesisStateRoot: Uint8Array;
  #info: RuntimeInfoResponse | null = null;
  /** The newest write logs applied, by the hex root each yields: where it came from and the log. */
  readonly #diffs = new Map<string, { from: Uint8Array; log: WriteLogEntry[] }>();

  constructor(config: RuntimeHostConfig) {
    this.#config = config;
    this.#state = config.state ?? new MemoryTreeStore();
    this.genesisStateRoot =
      config.genesisWriteLog === undefined
        ? EMPTY_HASH
        : this.#state.apply(EMPTY_HASH, config.genesisWriteLog);
    this.#state.pin(this.genesisStateRoot);
    this.#supervisor = new RuntimeSupervisor({
      runtimeDir: config.runtimeDir,
      entry: config.entry,
      maxOldSpaceMb: config.maxOldSpaceMb ?? 512,
      handshakeTimeoutMs: config.handshakeTimeoutMs ?? 20_000,
      ...(config.backoff ? { backoff: config.backoff } : {}),
      onRequest: this.#onRuntimeRequest,
      handshake: (c) => this.#handshake(c),
      ...(config.onEvent ? { onEvent: config.onEvent } : {}),
    });
  }

  /** What the runtime reported in its last handshake. */
  get info(): RuntimeInfoResponse | null {
    return this.#info;
  }

  /** PID of the runtime process (undefined while it is down). */
  get pid(): number | undefined {
    return this.#supervisor.pid;
  }

  /** How many runtime processes have been started so far. */
  get generation(): number {
    return this.#supervisor.generation;
  }

  /** Starts the runtime and resolves once it has completed its first handshake. */
  async start(): Promise<RuntimeInfoResponse> {
    await this.#supervisor.start();
    await this.#supervisor.connection(this.#config.handshakeTimeoutMs ?? 20_000);
    return this.#info!;
  }

  /** Stops the runtime; pending and later calls fail with `unavailable`. */
  stop(): Promise<void> {
    return this.#supervisor.stop();
  }

  /** Checks transactions for mempool admission against `state_root`. */
  checkTxBatch(request: RuntimeCheckTxBatchRequest): Promise<ResponseOf<'RuntimeCheckTxBatchRequest'>> {
    return this.#idempotentCall('RuntimeCheckTxBatchRequest', {
      ...blockContext(request),
      inputs: request.inputs,
    });
  }

  /**
   * Executes a batch. The result's state write log has been replayed on the host's copy of the previous
   * state and yields the claimed state root; otherwise the call fails with a protocol-violation error.
   */
  async executeBatch(
    request: RuntimeExecuteTxBatchRequest,
  ): Promise<ResponseOf<'RuntimeExecuteTxBatchRequest'>> {
    if (!this.#state.has(request.state_root)) {
      throw rhpError(
        RhpErrorCode.stateUnavailable,
        `host has no state for root ${toHex(request.state_root)}`,
      );
    }
    const result = await this.#call('RuntimeExecuteTxBatchRequest', {
      ...blockContext(request),
      timestamp: request.timestamp,
      max_messages: request.max_messages,
      inputs: request.inputs,
      // Sent in wire form (the body is encoded as is); the runtime decodes them back to IncomingMessage.
      in_msgs: request.in_msgs.map(incomingMessageWire) as never,
      message_results: request.message_results ?? [],
    });
    const root = this.#state.apply(request.state_root, result.state_write_log);
    if (!bytesEqual(root, result.header.state_root)) {
      throw rhpError(
        RhpErrorCode.protocolViolation,
        `runtime claimed state root ${toHex(result.header.state_root)}, write log yields ${toHex(root)}`,
      );
    }
    if (result.header.round !== request.round || result.results.length !== request.inputs.length) {
      throw rhpError(RhpErrorCode.protocolViolation, 'execute response does not match the request');
    }
    this.#noteDiff(request.state_root, root, result.state_write_log);
    // The executor commits to this root next: it must survive a crash of the node from here on.
    await this.#state.flush?.();
    return result;
  }

  /** Runs a read-only query against `state_root`. */
  query(request: RuntimeQueryRequest): Promise<ResponseOf<'RuntimeQueryRequest'>> {
    return this.#idempotentCall('RuntimeQueryRequest', {
      ...blockContext(request),
      method: request.method,
      args: request.args,
    });
  }

  /** True when the host holds the state of `root`. */
  hasState(root: Uint8Array): boolean {
    return this.#state.has(root);
  }

  /** A page of the entries of `root` (ascending keys after `after`), to serve to peers that lack it. */
  statePage(root: Uint8Array, after: Uint8Array | undefined, limit: number): Array<[Uint8Array, Uint8Array]> {
    if (!this.#state.has(root))
      throw rhpError(RhpErrorCode.stateUnavailable, `host has no state for root ${toHex(root)}`);
    return this.#state.page(root, after, Math.min(Math.max(limit, 1), MAX_SYNC_PAGE));
  }

  /**
   * Adopts a complete state fetched from elsewhere, after checking that its entries yield `root`
   * (otherwise a protocol-violation error is thrown; the stray tree ages out like any unused root).
   */
  async importState(root: Uint8Array, entries: Array<[Uint8Array, Uint8Array]>): Promise<void> {
    if (this.#state.has(root)) return;
    const got = this.#state.apply(EMPTY_HASH, entries);
    if (!bytesEqual(got, root)) {
      throw rhpError(RhpErrorCode.protocolViolation, `state entries yield ${toHex(got)}, not ${toHex(root)}`);
    }
    await this.#state.flush?.();
  }

  /**
   * Applies a finalized round's state write log, fetched from a peer that executed it, on top of `from`
   * (held here): true when it yields `to` (the root is then kept, durably, and the runtime catches up on
   * it through `HostStorageDiff`), false otherwise (the stray tree ages out like any unused root).
   */
  async applyWriteLog(from: Uint8Array, to: Uint8Array, log: WriteLogEntry[]): Promise<boolean> {
    if (!this.#state.has(from)) return false;
    const root = this.#state.apply(from, log);
    if (!bytesEqual(root, to)) return false;
    this.#noteDiff(from, to, log);
    await this.#state.flush?.();
    return true;
  }

  #noteDiff(from: Uint8Array, to: Uint8Array, log: WriteLogEntry[]): void {
    const id = toHex(to);
    this.#diffs.delete(id);
    this.#diffs.set(id, { from, log });
    if (this.#diffs.size > KEPT_DIFFS) this.#diffs.delete(this.#diffs.keys().next().value!);
  }

  /** The kept write logs from `from` to `to`, oldest first (state unavailable when there is no such chain). */
  #diffChain(from: Uint8Array, to: Uint8Array): WriteLogEntry[][] {
    const logs: WriteLogEntry[][] = [];
    let at = to;
    while (!bytesEqual(at, from)) {
      const step = this.#diffs.get(toHex(at));
      if (step === undefined || logs.length >= KEPT_DIFFS)
        throw rhpError(
          RhpErrorCode.stateUnavailable,
          `no kept write logs from ${toHex(from)} to ${toHex(to)}`,
        );
      logs.push(step.log);
      at = step.from;
    }
    return logs.reverse();
  }

  /** Liveness check. */
  async ping(): Promise<void> {
    await this.#call('RuntimePingRequest', {});
  }

  /**
   * Aborts whatever the runtime is doing: asks it to abort and, if it does not answer in time (it may be
   * stuck in a batch), kills it; either way calls in flight fail with `aborted`.
   */
  async abort(): Promise<void> {
    const connection = await this.#supervisor.connection(this.#config.callTimeoutMs ?? 30_000);
    connection.failPending(rhpError(RhpErrorCode.aborted, 'aborted by the host'));
    try {
      await connection.request('RuntimeAbortRequest', {}, this.#config.abortTimeoutMs ?? 1_000);
    } catch (err) {
      this.#supervisor.restart(
        rhpError(RhpErrorCode.aborted, `abort not acknowledged: ${(err as CodedError).message}`),
      );
    }
  }

  /**
   * A call that changes nothing in the runtime (check, query): when the runtime dies under it (a crash
   * racing the request), it is sent once more to the restarted runtime instead of failing the caller.
   */
  async #idempotentCall<K extends RequestKind>(kind: K, body: BodyOf<K>): Promise<ResponseOf<K>> {
    try {
      return await this.#call(kind, body);
    } catch (err) {
      const died =
        err instanceof CodedError && err.module === RHP_MODULE && err.code === RhpErrorCode.runtimeDied;
      if (!died) throw err;
      return this.#call(kind, body);
    }
  }

  async #call<K extends RequestKind>(kind: K, body: BodyOf<K>): Promise<ResponseOf<K>> {
    const timeout = this.#config.callTimeoutMs ?? 30_000;
    const started = performance.now();
    const connection = await this.#supervisor.connection(timeout);
    return connection.request(kind, body, Math.max(1, timeout - (performance.now() - started)));
  }

  async #handshake(connection: RhpConnection): Promise<void> {
    const c = this.#config;
    const info = await connection.request(
      'RuntimeInfoRequest',
      {
        runtime_id: c.runtimeId,
        consensus_backend: c.consensus.backend,
        consensus_protocol_version: c.consensus.protocolVersion,
        consensus_chain_context: c.consensus.chainContext,
        ...(c.localConfig !== undefined ? { local_config: c.localConfig } : {}),
      },
      c.handshakeTimeoutMs ?? 20_000,
    );
    if ((info.protocol_version.major ?? 0) !== RHP_PROTOCOL_VERSION.major) {
      throw rhpError(RhpErrorCode.handshake, `runtime speaks protocol ${info.protocol_version.major ?? 0}.x`);
    }
    this.#info = info;
  }

  readonly #onRuntimeRequest: RequestHandler = async (kind, body) => {
    if (kind === 'HostKeyManagerRequest') {
      const keyManager = this.#config.keyManager;
      if (keyManager === undefined)
        throw rhpError(RhpErrorCode.unsupported, 'this runtime has no key manager configured');
      return { kind: 'HostKeyManagerResponse', body: await keyManager(body as RuntimeKeyRequest) };
    }
    if (kind === 'HostStorageDiffRequest') {
      const req = body as HostStorageDiffRequest;
      return { kind: 'HostStorageDiffResponse', body: { write_logs: this.#diffChain(req.from, req.to) } };
    }
    if (kind !== 'HostStorageSyncRequest')
      throw rhpError(RhpErrorCode.unsupported, `${kind} is not served by the host`);
    const req = body as HostStorageSyncRequest;
    const limit = Math.min(Math.max(req.limit, 1), MAX_SYNC_PAGE);
    return {
      kind: 'HostStorageSyncResponse',
      body: { entries: this.#state.page(req.root, req.after, limit) },
    };
  };
}
