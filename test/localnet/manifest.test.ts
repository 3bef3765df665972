import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { manifestPath, readManifest, writeManifest } from '../../src/localnet/manifest.ts';

describe('localnet.json', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oasis-ts-manifest-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is absent from a directory without a network', () => {
    assert.equal(readManifest(join(dir, 'nowhere')), undefined);
  });

  it('reads a network laid out before runtimes existed as one without runtimes', () => {
    const old = { chain_context: 'ab', genesis_file: '/g.json', nodes: [], accounts: [] };
    writeFileSync(manifestPath(dir), JSON.stringify(old));
    assert.deepEqual(readManifest(dir), { ...old, runtimes: [] });
  });

  it('round-trips the runtimes a network hosts', () => {
    const manifest = {
      chain_context: 'cd',
      genesis_file: '/g.json',
      nodes: [],
      runtimes: [{ id: `80${'0'.repeat(62)}`, name: 'accounts' }],
      accounts: [],
    };
    writeManifest(dir, manifest);
    assert.deepEqual(readManifest(dir), manifest);
  });
});
