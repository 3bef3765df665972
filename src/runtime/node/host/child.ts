/**
 * Spawning a runtime as its own Node process: the same Node binary, TypeScript loaded through tsx, a
 * bounded heap, and the host socket path in `OASIS_WORKER_HOST` (as oasis-core passes it). Output is kept
 * as a short tail for crash reports instead of being mixed into the node's own log.
 */
import { type ChildProcess, spawn } from 'node:child_process';

/** Environment variable carrying the host socket path to the runtime. */
export const WORKER_HOST_ENV = 'OASIS_WORKER_HOST';

/** How to start a runtime process. */
export interface RuntimeProcessOptions {
  /** Runtime entry point (a .ts file run through tsx). */
  entry: string;
  /** Host socket path handed to the runtime. */
  socketPath: string;
  /** V8 old-space limit in MiB. */
  maxOldSpaceMb: number;
  /** Extra environment variables. */
  env?: Record<string, string>;
}

/** A started runtime process and the last lines it printed. */
export interface RuntimeProcess {
  readonly child: ChildProcess;
  /** Resolves with the exit code or signal once the process is gone. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Last output lines (stdout and stderr interleaved), for diagnostics. */
  tail(): string;
}

const TAIL_BYTES = 4096;

/** Resolved once: the tsx loader as a file URL, so the child finds it whatever its working directory. */
const TSX_LOADER = import.meta.resolve('tsx');

/** Spawns the runtime. */
export function spawnRuntime(options: RuntimeProcessOptions): RuntimeProcess {
  const child = spawn(
    process.execPath,
    [`--max-old-space-size=${options.maxOldSpaceMb}`, '--import', TSX_LOADER, options.entry],
    {
      env: { ...process.env, ...options.env, [WORKER_HOST_ENV]: options.socketPath },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let tail = '';
  const keep = (chunk: Buffer): void => {
    tail = (tail + chunk.toString('utf8')).slice(-TAIL_BYTES);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
    child.once('error', () => resolve({ code: null, signal: null }));
  });
  return { child, exited, tail: () => tail };
}
