/**
 * `localnet up`: creates a local network in a directory (or resumes the one already there), starts every
 * node as its own process — validators, and compute nodes serving ParaTimes when asked for — waits until
 * blocks are produced, writes `localnet.json`, and stays in the foreground until SIGINT/SIGTERM, when it
 * stops every node cleanly.
 */
import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describeLocalnet } from './describe.ts';
import { type LocalnetManifest, readManifest, writeManifest } from './manifest.ts';
import { checkComputeSpec, prepareLocalnet } from './prepare.ts';
import { LocalnetProcesses } from './processes.ts';

/** Options of `localnet up`. */
export interface UpOptions {
  dir: string;
  validators: number;
  /** Compute nodes of a new network (needs `runtimes`). */
  compute?: number;
  /** ParaTimes (catalog names) the compute nodes of a new network serve, one runtime each. */
  runtimes?: string[];
  epochInterval?: number;
  timeoutCommitMs?: number;
  /** Prints progress lines. */
  say: (line: string) => void;
  /** Resolves when the network should stop (default: SIGINT/SIGTERM). */
  until?: Promise<void>;
}

function signals(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

/**
 * A new network is laid out only in a missing or empty directory: anything else there is not ours to mix
 * keys and node data into (a network of ours is recognised by its localnet.json and resumed instead).
 */
function refuseForeignDirectory(dir: string): void {
  if (!existsSync(dir)) return;
  const entries = readdirSync(dir);
  if (entries.length > 0)
    throw new Error(
      `--dir ${dir}: not empty and not a local network (no localnet.json): choose a new or empty directory`,
    );
}

/** How often the start shows each node's height while it waits for the first blocks. */
const PROGRESS_INTERVAL_MS = 2_000;

/** Prints every node's height (or `starting`) while the network comes up, whenever it changed. */
function reportHeights(
  manifest: LocalnetManifest,
  procs: LocalnetProcesses,
  say: (line: string) => void,
): { stop(): void } {
  let last = '';
  let stopped = false;
  const timer = setInterval(async () => {
    const heights = await Promise.all(manifest.nodes.map((n) => procs.height(n)));
    const line = manifest.nodes
      .map((n, i) => `${n.name} ${heights[i] === undefined ? 'starting' : `at ${heights[i]}`}`)
      .join(', ');
    if (!stopped && line !== last) say(`  ${line}`);
    last = line;
  }, PROGRESS_INTERVAL_MS);
  return {
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}

/** Runs a local network until told to stop; returns its manifest. */
export async function localnetUp(o: UpOptions): Promise<LocalnetManifest> {
  const dir = resolve(o.dir);
  let manifest = existsSync(dir) ? readManifest(dir) : undefined;
  if (manifest) {
    o.say(`resuming the local network in ${dir} (its layout is kept; network options are ignored)`);
  } else {
    refuseForeignDirectory(dir);
    checkComputeSpec(o);
    const compute = o.compute ?? 0;
    o.say(
      `creating a local network of ${o.validators} validators${
        compute > 0 ? ` and ${compute} compute nodes running ${o.runtimes!.join(' and ')}` : ''
      } in ${dir}`,
    );
    manifest = await prepareLocalnet({
      dir,
      validators: o.validators,
      ...(compute > 0 ? { compute, runtimes: o.runtimes! } : {}),
      ...(o.epochInterval !== undefined ? { epochInterval: o.epochInterval } : {}),
      ...(o.timeoutCommitMs !== undefined ? { timeoutCommitMs: o.timeoutCommitMs } : {}),
    });
  }
  const procs = new LocalnetProcesses();
  procs.onUnexpectedExit = (name, code) =>
    o.say(`${name} exited (code ${code}); see ${dir}/nodes/${name}/node.log`);
  const stop = o.until ?? signals();
  try {
    for (const node of manifest.nodes) node.pid = procs.start(node);
    writeManifest(dir, manifest);
    o.say('waiting for blocks…');
    const progress = reportHeights(manifest, procs, o.say);
    try {
      await Promise.race([
        Promise.all(manifest.nodes.map((n) => procs.waitHeight(n, 2, 120_000))),
        stop.then(() => {
          throw new Error('interrupted before the first blocks');
        }),
      ]);
    } finally {
      progress.stop();
    }
    o.say(`chain context ${manifest.chain_context}`);
    for (const line of describeLocalnet(manifest)) o.say(line);
    o.say(`blocks are being produced; ${dir}/localnet.json describes the network. Ctrl-C stops it.`);
    await stop;
    o.say('stopping…');
  } finally {
    await procs.stopAll();
    for (const node of manifest.nodes) node.pid = 0;
    writeManifest(dir, manifest);
  }
  o.say('stopped');
  return manifest;
}
