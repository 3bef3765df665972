/**
 * CPU profiles of the processes a benchmark starts (nodes and their runtime children): `--cpu-prof` is not
 * allowed in NODE_OPTIONS, so bench/cpu_profile_hook.mjs is preloaded instead and writes
 * `<pid>.cpuprofile` into the directory when a process exits (stop nodes with SIGTERM, not SIGKILL).
 * Read the files with bench/profile_top.ts.
 */
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Makes the processes started until `stop` is called profile themselves into `dir`. */
export function profileChildren(dir: string): { stop(): void } {
  mkdirSync(dir, { recursive: true });
  process.env.CPU_PROFILE_DIR = dir;
  process.env.NODE_OPTIONS = `--import ${fileURLToPath(new URL('./cpu_profile_hook.mjs', import.meta.url))}`;
  return {
    stop: () => {
      delete process.env.NODE_OPTIONS;
    },
  };
}
