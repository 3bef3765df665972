/**
 * The Hardhat 3 example (`examples/hardhat`, hardhat-ethers) against a real localnet: its own lockfile
 * installed, `hardhat test --network localnet` run on the Node 22 it installs from npm, deploying and
 * exercising its contract through the client node's Ethereum JSON-RPC. Passes only if Hardhat exits 0
 * and reports passing tests and no failing ones.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { manifestPath, writeManifest } from '../../src/localnet/manifest.ts';
import { LocalnetProcesses } from '../../src/localnet/processes.ts';
import { installHardhatExample, runHardhatTests } from './hardhat_example.ts';
import { startWeb3Localnet } from './web3_localnet.ts';

describe('Hardhat 3 example on a localnet', { timeout: 600_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'oasis-ts-hardhat-'));
  const procs = new LocalnetProcesses();
  let url: string;

  before(async () => {
    // Installing first: a failed install should not cost a network start-up.
    await installHardhatExample(150_000);
    const started = await startWeb3Localnet(procs, { dir, timeoutCommitMs: 250, epochInterval: 12 });
    url = started.url;
    // Hardhat reads the funded Ethereum keys from localnet.json, as it does for `npm run localnet`.
    writeManifest(dir, started.net);
  });

  after(async () => {
    await procs.stopAll();
    rmSync(dir, { recursive: true, force: true });
  });

  it('hardhat test --network localnet passes', async (t) => {
    const { code, output } = await runHardhatTests(manifestPath(dir), url, 150_000);
    assert.equal(code, 0, output);
    const passing = /(\d+) passing/.exec(output);
    assert.ok(passing !== null && Number(passing[1]) > 0, `no passing tests reported:\n${output}`);
    assert.doesNotMatch(output, /\d+ failing/, output);
    t.diagnostic(`Hardhat: ${passing[1]} passing`);
  });
});
