import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runCommand } from './harness.ts';

describe('identity init', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oasis-ts-identity-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('creates every node key as oasis-node lays them out, and keeps them when run again', async () => {
    const datadir = join(dir, 'node');
    const first = await runCommand(['identity', 'init', '--datadir', datadir]);
    assert.equal(first.code, 0, first.stderr);
    const files = ['identity.pem', 'p2p.pem', 'consensus.pem', 'vrf.pem', 'tls_identity.pem'];
    for (const f of files) assert.equal(statSync(join(datadir, f)).mode & 0o077, 0, `${f} is private`);
    const before = files.map((f) => readFileSync(join(datadir, f), 'utf8'));
    const again = await runCommand(['identity', 'init', '--datadir', datadir]);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(again.stdout, first.stdout, 'same keys reported');
    assert.deepEqual(
      files.map((f) => readFileSync(join(datadir, f), 'utf8')),
      before,
      'existing keys are kept',
    );
    assert.match(first.stdout, /^node identity in .*:\n {2}node: {6}[A-Za-z0-9+/]{43}=\n/);
  });

  it('generates only the keys that are missing', async () => {
    const datadir = join(dir, 'partial');
    await runCommand(['identity', 'init', '--datadir', datadir]);
    const consensus = readFileSync(join(datadir, 'consensus.pem'), 'utf8');
    rmSync(join(datadir, 'vrf.pem'));
    rmSync(join(datadir, 'vrf_pub.pem'));
    const r = await runCommand(['identity', 'init', '--datadir', datadir]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(statSync(join(datadir, 'vrf.pem')).size > 0);
    assert.equal(readFileSync(join(datadir, 'consensus.pem'), 'utf8'), consensus);
  });
});
