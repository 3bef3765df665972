import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { toBase64 } from '../../../src/codec/bytes.ts';
import { readGenesisFile } from '../../../src/genesis/document.ts';
import type { LocalnetManifest } from '../../../src/localnet/manifest.ts';
import { prepareLocalnet } from '../../../src/localnet/prepare.ts';
import { loadConfig } from '../../../src/node/config.ts';
import { Node } from '../../../src/node/node.ts';
import { runCommand } from './harness.ts';

describe('registry entity|node|runtime list, node is-registered, genesis dump (against a running node)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'oasis-ts-registry-query-'));
  let net: LocalnetManifest;
  let node: Node;
  let address: string;

  before(async () => {
    net = await prepareLocalnet({ dir, validators: 1, timeoutCommitMs: 100, epochInterval: 5 });
    node = await Node.start(loadConfig(net.nodes[0]!.config));
    address = `unix:${net.nodes[0]!.internal_socket}`;
    while (node.view.latestHeight() < 2) await new Promise((r) => setTimeout(r, 50));
  });
  after(async () => {
    await node?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists the registered entities and nodes by ID, and as JSON with -v', async () => {
    const nodeId = toBase64(node.identity.node.publicKey);
    const nodes = await runCommand(['registry', 'node', 'list', '-a', address]);
    assert.deepEqual([nodes.code, nodes.stdout], [0, `${nodeId}\n`]);
    const entities = await runCommand(['registry', 'entity', 'list', '-a', address]);
    assert.equal(entities.code, 0, entities.stderr);
    assert.match(entities.stdout, /^[A-Za-z0-9+/]{43}=\n$/);
    const verbose = await runCommand(['registry', 'node', 'list', '-a', address, '-v']);
    assert.equal(JSON.parse(verbose.stdout).id, nodeId);
  });

  it('lists no runtimes on a network without any', async () => {
    const r = await runCommand(['registry', 'runtime', 'list', '-a', address, '--include_suspended']);
    assert.deepEqual([r.code, r.stdout], [0, '']);
  });

  it('is-registered exits 0 for the registered node and 1 for another identity', async () => {
    const yes = await runCommand([
      'registry',
      'node',
      'is-registered',
      '-a',
      address,
      '--datadir',
      net.nodes[0]!.data_dir,
    ]);
    assert.deepEqual([yes.code, yes.stdout], [0, 'node is registered\n']);
    const other = join(dir, 'other');
    await runCommand(['identity', 'init', '--datadir', other]);
    const no = await runCommand(['registry', 'node', 'is-registered', '-a', address, '--datadir', other]);
    assert.deepEqual([no.code, no.stdout], [1, 'node is not registered\n']);
  });

  it('genesis dump writes the state as a genesis document that passes genesis check', async () => {
    const file = join(dir, 'dump.json');
    const dump = await runCommand([
      'genesis',
      'dump',
      '-a',
      address,
      '--genesis.file',
      file,
      '--height',
      '2',
    ]);
    assert.equal(dump.code, 0, dump.stderr);
    assert.match(dump.stdout, /^[0-9a-f]{64}\n$/, 'the chain context of the dumped document');
    const doc = readGenesisFile(file);
    assert.equal(doc.chain_id, readGenesisFile(net.genesis_file).chain_id);
    assert.equal(doc.registry.nodes.length, 1);
    const check = await runCommand(['genesis', 'check', '--genesis.file', file]);
    assert.equal(check.code, 0, check.stderr);
    assert.equal(check.stdout, dump.stdout, 'the same chain context');
    const again = await runCommand(['genesis', 'dump', '-a', address, '--genesis.file', file]);
    assert.equal(again.code, 1, 'an existing file is not replaced');
  });
});
