import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { parseBalances } from '../../src/cli/commands/genesis.ts';
import { addressFromPublicKey, addressToBech32 } from '../../src/crypto/address.ts';
import { Ed25519KeyPair } from '../../src/crypto/ed25519.ts';
import { chainContextOf, readGenesisFile } from '../../src/genesis/document.ts';

const run = promisify(execFile);
const cli = (...args: string[]) =>
  run(process.execPath, ['bin/oasis-ts.mjs', ...args], { cwd: process.cwd() });

describe('oasis-ts genesis init / check', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oasis-ts-genesis-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('builds a valid genesis from CLI-made descriptors and a balances file', async () => {
    const entityDir = join(dir, 'entity');
    const nodeDir = join(dir, 'node');
    await cli('registry', 'entity', 'init', '--signer.dir', entityDir);
    const entityId = JSON.parse(readFileSync(join(entityDir, 'entity.json'), 'utf8')).id as string;
    await cli(
      'registry',
      'node',
      'init',
      '--signer.dir',
      nodeDir,
      '--node.entity_id',
      entityId,
      '--node.role',
      'validator',
      '--node.expiration',
      '5',
      '--node.consensus_address',
      '127.0.0.1:26656',
      '--entity.signer.dir',
      entityDir,
    );
    const entityAddress = addressToBech32(addressFromPublicKey(Buffer.from(entityId, 'base64')));
    const user = addressToBech32(
      addressFromPublicKey(Ed25519KeyPair.fromSeed(new Uint8Array(32).fill(3)).publicKey),
    );
    const balances = join(dir, 'balances.json');
    writeFileSync(
      balances,
      JSON.stringify({ [entityAddress]: { general: '1000', escrow: '1000000000000' }, [user]: '42' }),
    );
    const file = join(dir, 'genesis.json');
    const init = await cli(
      'genesis',
      'init',
      '--genesis.file',
      file,
      '--chain.id',
      'cli test',
      '--entity',
      join(entityDir, 'entity_genesis.json'),
      '--node',
      join(nodeDir, 'node_genesis.json'),
      '--balances',
      balances,
      '--beacon.insecure.interval',
      '5',
    );
    const doc = readGenesisFile(file);
    assert.equal(init.stdout.trim(), chainContextOf(doc));
    assert.equal(doc.registry.nodes.length, 1);
    assert.equal(doc.staking.total_supply, 1000n + 10n ** 12n + 42n);
    assert.equal(doc.beacon.params.vrf_parameters?.interval, 5n);
    const check = await cli('genesis', 'check', '--genesis.file', file);
    assert.equal(check.stdout.trim(), chainContextOf(doc));
    // Refuses to overwrite an existing genesis file, and to build one that elects no validators.
    await assert.rejects(cli('genesis', 'init', '--genesis.file', file, '--chain.id', 'x'), /already exists/);
    await assert.rejects(
      cli('genesis', 'init', '--genesis.file', join(dir, 'empty.json'), '--chain.id', 'x'),
      /electable validators/,
    );
  });

  it('reports a broken genesis file with the field and exits 1', async () => {
    // Built by the previous test.
    const good = join(dir, 'genesis.json');
    const file = join(dir, 'broken.json');
    writeFileSync(
      file,
      readFileSync(good, 'utf8').replace('"token_symbol": "TEST"', '"token_symbol": "test"'),
    );
    await assert.rejects(
      cli('genesis', 'check', '--genesis.file', file),
      (e: { code: number; stderr: string }) => {
        assert.equal(e.code, 1);
        assert.match(e.stderr, /staking: .*token symbol/);
        return true;
      },
    );
  });

  it('parses balances strictly', () => {
    const addr = addressToBech32(addressFromPublicKey(new Uint8Array(32).fill(9)));
    assert.deepEqual(parseBalances(JSON.stringify({ [addr]: '5' }), 'b')[0]!.general, 5n);
    assert.throws(
      () => parseBalances(JSON.stringify({ oasis1bad: '5' }), 'b'),
      /b: oasis1bad: invalid address/,
    );
    assert.throws(() => parseBalances(JSON.stringify({ [addr]: 5 }), 'b'), /expected an amount/);
    assert.throws(
      () => parseBalances(JSON.stringify({ [addr]: { general: '1', stake: '2' } }), 'b'),
      /unknown field stake/,
    );
  });
});
