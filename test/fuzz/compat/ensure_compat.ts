/**
 * Prepares this machine to run the prebuilt Jazzer.js addon: on a glibc older than 2.38 it patches the
 * addon's version requirements (patch_addon.ts) and builds the preload library that supplies the symbols
 * the older system lacks (jazzer_compat.cpp, with the system C++ compiler). Returns the environment the
 * fuzzer process needs (LD_PRELOAD), or nothing on a system new enough to load the prebuild as is.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { patchAddon } from './patch_addon.ts';

const here = dirname(fileURLToPath(import.meta.url));

function glibcOlderThan238(): boolean {
  const header = (process.report.getReport() as { header?: { glibcVersionRuntime?: string } }).header;
  const version = header?.glibcVersionRuntime;
  if (version === undefined) return false;
  const [major, minor] = version.split('.').map(Number);
  return major! < 2 || (major === 2 && minor! < 38);
}

/** Extra environment for processes that load Jazzer.js here. */
export function jazzerEnvironment(): Record<string, string> {
  if (process.platform !== 'linux' || process.arch !== 'x64' || !glibcOlderThan238()) return {};
  const require = createRequire(import.meta.url);
  const fuzzerDir = dirname(dirname(require.resolve('@jazzer.js/fuzzer')));
  patchAddon(join(fuzzerDir, 'prebuilds', 'fuzzer-linux-x64.node'));
  const source = join(here, 'jazzer_compat.cpp');
  const outDir = join(here, '..', '..', '..', 'node_modules', '.cache', 'oasis-ts-fuzz');
  const lib = join(outDir, 'libjazzer_compat.so');
  if (!existsSync(lib) || statSync(lib).mtimeMs < statSync(source).mtimeMs) {
    mkdirSync(outDir, { recursive: true });
    const tmp = `${lib}.tmp-${process.pid}`;
    execFileSync('c++', ['-shared', '-fPIC', '-O2', '-o', tmp, source], { stdio: 'inherit' });
    renameSync(tmp, lib);
  }
  return { LD_PRELOAD: lib };
}
