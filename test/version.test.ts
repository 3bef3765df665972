import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { PACKAGE_VERSION, SOFTWARE_VERSION } from '../src/version.ts';
import { runCli } from './cli/run_cli.ts';

describe('software version', () => {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };

  it('is package.json version, named oasis-ts in software_version fields', () => {
    assert.equal(PACKAGE_VERSION, pkg.version);
    assert.equal(SOFTWARE_VERSION, `oasis-ts ${pkg.version}`);
  });

  it('oasis-ts --version prints it and exits 0', async () => {
    const r = await runCli(['--version']);
    assert.deepEqual([r.code, r.stdout], [0, `${pkg.version}\n`]);
  });
});
