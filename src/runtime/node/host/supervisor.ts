/**
 * Keeps one runtime process alive: listens on `<runtime dir>/host.sock`, spawns the runtime, accepts its
 * connection, runs the handshake, and when the process dies or breaks the protocol, fails what was in
 * flight, kills it if needed and starts a new one after a back-off. Nothing here throws into the caller
 * because of the runtime: callers get coded errors from the calls they make.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import type { CodedError } from '../../../errors.ts';
import { type RequestHandler, RhpConnection } from '../../protocol/connection.ts';
import { RhpErrorCode, rhpError } from '../../protocol/errors.ts';
import { type BackoffOptions, DEFAULT_BACKOFF, RestartBackoff } from './backoff.ts';
import { type RuntimeProcess, spawnRuntime } from './child.ts';

/** How long a stopping runtime may take to exit on its own before it is killed. */
const STOP_GRACE_MS = 2_000;

/** Host socket file name inside the runtime directory (as oasis-core names it). */
export const HOST_SOCKET_NAME = 'host.sock';

/** Something the supervisor reports (for logs, metrics and tests). */
export type SupervisorEvent =
  | { type: 'spawned'; pid: number | undefined; generation: number }
  | { type: 'ready'; generation: number }
  | { type: 'down'; generation: number; reason: CodedError; output: string }
  | { type: 'restart-scheduled'; delayMs: number }
  | { type: 'exited'; generation: number; code: number | null; signal: NodeJS.Signals | null }
  | { type: 'server-error'; message: string };

/** Supervisor settings. */
export interface SupervisorOptions {
  runtimeDir: string;
  entry: string;
  maxOldSpaceMb: number;
  handshakeTimeoutMs: number;
  backoff?: BackoffOptions;
  env?: Record<string, string>;
  /** Answers the runtime's `Host…` requests. */
  onRequest: RequestHandler;
  /** Runs the handshake on a fresh connection; a throw counts as a failed start. */
  handshake(connection: RhpConnection): Promise<void>;
  onEvent?(event: SupervisorEvent): void;
}

interface Incarnation {
  generation: number;
  proc: RuntimeProcess;
  startedAt: number;
  connection: RhpConnection | null;
  down: boolean;
}

/** Supervises one runtime process. */
export class RuntimeSupervisor {
  readonly #options: SupervisorOptions;
  readonly #backoff: RestartBackoff;
  readonly socketPath: string;
  #server: Server | null = null;
  #current: Incarnation | null = null;
  #ready: RhpConnection | null = null;
  #generation = 0;
  #stopped = true;
  #restartTimer: NodeJS.Timeout | null = null;
  #waiters: Array<(c: RhpConnection | null) => void> = [];

  constructor(options: SupervisorOptions) {
    this.#options = options;
    this.#backoff = new RestartBackoff(options.backoff ?? DEFAULT_BACKOFF);
    this.socketPath = join(options.runtimeDir, HOST_SOCKET_NAME);
  }

  /** PID of the running runtime process, if any. */
  get pid(): number | undefined {
    return this.#current?.down === false ? this.#current.proc.child.pid : undefined;
  }

  /** How many processes have been started. */
  get generation(): number {
    return this.#generation;
  }

  /** Starts listening and spawns the first runtime process. */
  async start(): Promise<void> {
    if (!this.#stopped) return;
    this.#stopped = false;
    mkdirSync(this.#options.runtimeDir, { recursive: true, mode: 0o700 });
    rmSync(this.socketPath, { force: true });
    const server = createServer((socket) => this.#onConnection(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.socketPath, () => {
        server.off('error', reject);
        resolve();
      });
    });
    // Accept failures (e.g. out of file descriptors) must not crash the node; the runtime is then restarted
    // by its handshake timeout.
    server.on('error', (err) => this.#options.onEvent?.({ type: 'server-error', message: err.message }));
    this.#server = server;
    this.#spawn();
  }

  /**
   * The connection to a runtime that has completed its handshake, waiting up to `timeoutMs` for one
   * (e.g. while a crashed runtime restarts).
   */
  connection(timeoutMs: number): Promise<RhpConnection> {
    if (this.#ready !== null && !this.#ready.isClosed) return Promise.resolve(this.#ready);
    if (this.#stopped) return Promise.reject(rhpError(RhpErrorCode.unavailable, 'runtime host is stopped'));
    return new Promise((resolve, reject) => {
      const waiter = (c: RhpConnection | null): void => {
        clearTimeout(timer);
        if (c === null) reject(rhpError(RhpErrorCode.unavailable, 'runtime host stopped'));
        else resolve(c);
      };
      const timer = setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        reject(rhpError(RhpErrorCode.unavailable, `runtime not ready within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiters.push(waiter);
    });
  }

  /** Kills the current runtime (e.g. after an abort it ignored); it is restarted like after a crash. */
  restart(reason: CodedError): void {
    if (this.#current !== null) this.#down(this.#current, reason);
  }

  /** Kills the runtime, stops restarting it and closes the socket. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    if (this.#restartTimer !== null) clearTimeout(this.#restartTimer);
    this.#restartTimer = null;
    const current = this.#current;
    if (current !== null) {
      // Closing the connection asks the runtime to exit on its own; one that lingers is killed.
      this.#down(current, rhpError(RhpErrorCode.unavailable, 'runtime host stopped'), STOP_GRACE_MS);
      await current.proc.exited;
    }
    this.#flushWaiters(null);
    await new Promise<void>((resolve) => (this.#server ? this.#server.close(() => resolve()) : resolve()));
    this.#server = null;
    rmSync(this.socketPath, { force: true });
  }

  #spawn(): void {
    this.#restartTimer = null;
    if (this.#stopped) return;
    const generation = ++this.#generation;
    const proc = spawnRuntime({
      entry: this.#options.entry,
      socketPath: this.socketPath,
      maxOldSpaceMb: this.#options.maxOldSpaceMb,
      ...(this.#options.env ? { env: this.#options.env } : {}),
    });
    const inc: Incarnation = {
      generation,
      proc,
      startedAt: performance.now(),
      connection: null,
      down: false,
    };
    this.#current = inc;
    this.#options.onEvent?.({ type: 'spawned', pid: proc.child.pid, generation });
    void proc.exited.then(({ code, signal }) => {
      this.#options.onEvent?.({ type: 'exited', generation, code, signal });
      this.#down(inc, rhpError(RhpErrorCode.runtimeDied, `runtime exited (code ${code}, signal ${signal})`));
      this.#scheduleRestart(inc);
    });
    const handshakeTimer = setTimeout(() => {
      if (this.#ready === null && this.#current === inc && !inc.down) {
        this.#down(inc, rhpError(RhpErrorCode.handshake, 'runtime did not complete the handshake in time'));
      }
    }, this.#options.handshakeTimeoutMs);
    void proc.exited.then(() => clearTimeout(handshakeTimer));
  }

  #onConnection(socket: Socket): void {
    const inc = this.#current;
    if (inc === null || inc.down || inc.connection !== null) {
      socket.destroy();
      return;
    }
    const connection = new RhpConnection(socket, { onRequest: this.#options.onRequest });
    inc.connection = connection;
    void connection.closed.then((reason) => this.#down(inc, reason));
    this.#options.handshake(connection).then(
      () => {
        if (inc.down || this.#stopped) return;
        this.#ready = connection;
        this.#options.onEvent?.({ type: 'ready', generation: inc.generation });
        this.#flushWaiters(connection);
      },
      (err: CodedError) =>
        this.#down(inc, rhpError(RhpErrorCode.handshake, `handshake failed: ${err.message}`)),
    );
  }

  /**
   * Marks an incarnation dead: fails its calls and kills the process, at once or after `graceMs` if it has
   * not exited by then. Its exit schedules the restart.
   */
  #down(inc: Incarnation, reason: CodedError, graceMs = 0): void {
    if (inc.down) return;
    inc.down = true;
    if (this.#ready === inc.connection) this.#ready = null;
    inc.connection?.close(reason);
    const kill = (): void => {
      if (inc.proc.child.exitCode === null && inc.proc.child.signalCode === null)
        inc.proc.child.kill('SIGKILL');
    };
    if (graceMs === 0) kill();
    else {
      const timer = setTimeout(kill, graceMs);
      void inc.proc.exited.then(() => clearTimeout(timer));
    }
    this.#options.onEvent?.({ type: 'down', generation: inc.generation, reason, output: inc.proc.tail() });
  }

  #scheduleRestart(inc: Incarnation): void {
    if (this.#stopped || this.#current !== inc) return;
    const delayMs = this.#backoff.next(performance.now() - inc.startedAt);
    this.#options.onEvent?.({ type: 'restart-scheduled', delayMs });
    this.#restartTimer = setTimeout(() => this.#spawn(), delayMs);
  }

  #flushWaiters(c: RhpConnection | null): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w(c);
  }
}
