/**
 * Runs the nodes of a local network as child processes (`oasis-ts node --config …`), each logging to a
 * file in its data directory, and watches them over their internal sockets: heights, block hashes, waits.
 * Used by `localnet up` and by the multi-process tests (which also kill and restart nodes).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NodeClient } from '../api/grpc_client.ts';
import { toHex } from '../codec/bytes.ts';
import type { LocalnetNode } from './manifest.ts';

/** The CLI entry point, run with the current Node binary. */
export const CLI_ENTRY = fileURLToPath(new URL('../../bin/oasis-ts.mjs', import.meta.url));

/**
 * V8 flags of every node process: a young generation of 32 MiB semi-spaces (V8's default is far smaller)
 * lets the many short-lived objects of checking and executing a block's transactions die young; with the
 * default, garbage collection was ~20 % of a validator's busy time under load (a quick allocation test: a
 * third less collection time). Costs at most ~100 MiB of address space per node.
 */
const NODE_V8_FLAGS = ['--max-semi-space-size=32'];

/** A node process under supervision. */
interface Running {
  node: LocalnetNode;
  child: ChildProcess;
  exited: Promise<number | null>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The last `lines` lines of a node's `node.log` (for errors about a node that fell behind or died). */
export function logTail(node: LocalnetNode, lines = 20): string {
  try {
    const fd = openSync(join(node.data_dir, 'node.log'), 'r');
    try {
      const size = fstatSync(fd).size;
      const buf = Buffer.alloc(Math.min(size, 64 * 1024));
      readSync(fd, buf, 0, buf.length, size - buf.length);
      return buf
        .toString('utf8')
        .split('\n')
        .slice(-lines - 1)
        .join('\n');
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    return `(no log: ${(err as Error).message})`;
  }
}

/** The processes of one local network. */
export class LocalnetProcesses {
  readonly #running = new Map<string, Running>();
  readonly #clients = new Map<string, NodeClient>();
  readonly #extraArgs: string[];
  /** Called when a node exits without being asked to. */
  onUnexpectedExit: (name: string, code: number | null) => void = () => {};
  /** Command a node's process is started under (e.g. `ip netns exec NS`); none by default. */
  launcher: (node: LocalnetNode) => string[] = () => [];

  constructor(extraArgs: string[] = []) {
    this.#extraArgs = extraArgs;
  }

  /**
   * Starts a node's process (appending to its `node.log`); resolves to its pid. `env` adds environment
   * variables (e.g. the consensus protocol version a test's "new software" claims).
   */
  start(node: LocalnetNode, env: Record<string, string> = {}): number {
    if (this.#running.has(node.name)) throw new Error(`${node.name} is already running`);
    const log = openSync(join(node.data_dir, 'node.log'), 'a');
    const command = [
      ...this.launcher(node),
      process.execPath,
      ...NODE_V8_FLAGS,
      CLI_ENTRY,
      'node',
      '--config',
      node.config,
      ...this.#extraArgs,
    ];
    const child = spawn(command[0]!, command.slice(1), {
      stdio: ['ignore', log, log],
      env: { ...process.env, ...env },
    });
    closeSync(log);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const entry: Running = { node, child, exited };
    this.#running.set(node.name, entry);
    void exited.then((code) => {
      if (this.#running.get(node.name) === entry) {
        this.#running.delete(node.name);
        this.onUnexpectedExit(node.name, code);
      }
    });
    return child.pid ?? 0;
  }

  /** Names of running nodes. */
  running(): string[] {
    return [...this.#running.keys()];
  }

  /** Sends `signal` to a running node without waiting (SIGSTOP/SIGCONT to freeze and resume it). */
  signal(name: string, signal: NodeJS.Signals): void {
    const entry = this.#running.get(name);
    if (!entry) throw new Error(`${name} is not running`);
    entry.child.kill(signal);
  }

  /** Sends `signal` to a node and waits for it to exit (SIGKILL after `graceMs`). */
  async stop(name: string, signal: NodeJS.Signals = 'SIGTERM', graceMs = 15_000): Promise<void> {
    const entry = this.#running.get(name);
    if (!entry) return;
    this.#running.delete(name);
    this.#clients.get(name)?.close();
    this.#clients.delete(name);
    entry.child.kill(signal);
    const timer = setTimeout(() => entry.child.kill('SIGKILL'), graceMs);
    await entry.exited;
    clearTimeout(timer);
  }

  /** SIGKILLs every node at once without waiting: for exit and signal handlers, which cannot wait. */
  killAllNow(): void {
    for (const entry of this.#running.values()) entry.child.kill('SIGKILL');
  }

  /** Stops every node. */
  async stopAll(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    await Promise.all(this.running().map((name) => this.stop(name, signal)));
  }

  #client(node: LocalnetNode): NodeClient {
    let client = this.#clients.get(node.name);
    if (!client) this.#clients.set(node.name, (client = new NodeClient(`unix:${node.internal_socket}`)));
    return client;
  }

  /** The node's latest height, or undefined when it does not answer. */
  async height(node: LocalnetNode): Promise<number | undefined> {
    try {
      return Number(
        await this.#client(node).call('oasis-core.Consensus', 'GetLatestHeight', undefined, 2_000),
      );
    } catch {
      return undefined;
    }
  }

  /** Hex hash of the node's block at `height`. */
  async blockHash(node: LocalnetNode, height: number): Promise<string> {
    const block = (await this.#client(node).call('oasis-core.Consensus', 'GetBlock', height, 5_000)) as {
      hash: Uint8Array;
    };
    return toHex(block.hash);
  }

  /** Waits until the node reports at least `height`; throws after `timeoutMs`. */
  async waitHeight(node: LocalnetNode, height: number, timeoutMs = 60_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const h = await this.height(node);
      if (h !== undefined && h >= height) return h;
      if (Date.now() > deadline)
        throw new Error(
          `${node.name} did not reach height ${height} (at ${h ?? 'no answer'}, ${
            this.#running.has(node.name) ? 'running' : 'not running'
          }); the end of its log:\n${logTail(node)}`,
        );
      await sleep(200);
    }
  }
}
