import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runCommand } from './commands/harness.ts';

describe('oasis-ts localnet up: compute options', () => {
  const root = mkdtempSync(join(tmpdir(), 'oasis-ts-localnet-cli-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  const refused = async (args: string[], message: RegExp) => {
    const dir = join(root, `net-${args.join('_')}`);
    const out = await runCommand(['localnet', 'up', '--dir', dir, ...args]);
    assert.equal(out.code, 1);
    assert.match(out.stderr, message);
    assert.equal(existsSync(dir), false, 'nothing is written for a refused network');
  };

  it('refuses compute nodes without a ParaTime, naming the flag and the choices', () =>
    refused(
      ['--compute', '2'],
      /error: --compute 2: compute nodes need a ParaTime to run \(--runtime; known: accounts, evm, sapphire\)/,
    ));

  it('refuses an unknown ParaTime, naming the known ones', () =>
    refused(
      ['--compute', '1', '--runtime', 'wasm'],
      /error: --runtime: unknown ParaTime "wasm" \(known: accounts, evm, sapphire\)/,
    ));

  it('refuses a ParaTime named twice in the comma list', () =>
    refused(
      ['--compute', '1', '--runtime', 'accounts,evm,accounts'],
      /error: --runtime: ParaTime "accounts" named twice/,
    ));

  it('refuses a ParaTime without compute nodes', () =>
    refused(
      ['--runtime', 'accounts'],
      /error: --runtime accounts: a ParaTime needs at least one compute node/,
    ));

  it('refuses a malformed compute count', () =>
    refused(['--compute', 'two', '--runtime', 'accounts'], /error: --compute: expected an integer ≥ 0/));

  it('refuses a non-empty directory that is not a local network, writing nothing into it', async () => {
    const dir = join(root, 'foreign');
    mkdirSync(dir);
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const out = await runCommand(['localnet', 'up', '--dir', dir, '--validators', '1']);
    assert.equal(out.code, 1);
    assert.match(out.stderr, /--dir .*foreign: not empty and not a local network \(no localnet\.json\)/);
    assert.deepEqual(readdirSync(dir), ['notes.txt']);
  });
});
