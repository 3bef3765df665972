import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Makes the node processes started next profile their CPU into `dir` (bench/cpu_profile_hook.mjs; stop them
 * with SIGTERM so the profiles are written). Returns the undo, to call once those processes are started.
 */
export function profileChildren(dir: string): () => void {
  mkdirSync(dir, { recursive: true });
  process.env.CPU_PROFILE_DIR = dir;
  process.env.NODE_OPTIONS = `--import ${fileURLToPath(new URL('../cpu_profile_hook.mjs', import.meta.url))}`;
  return () => {
    delete process.env.NODE_OPTIONS;
  };
}
