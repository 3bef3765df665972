import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as oasis from '@oasisprotocol/client';
import { toBase64, toHex } from '../../src/codec/bytes.ts';
import { loadRoleKey } from '../../src/crypto/signer/file_signer.ts';
import { multiSignedFromJson, signedFromJson } from '../../src/crypto/signer/json_files.ts';
import { loadNodeIdentity } from '../../src/crypto/signer/node_identity.ts';
import { openSignedEntity } from '../../src/services/registry/api/entity.ts';
import { NodeRoles, openMultiSignedNode } from '../../src/services/registry/api/node.ts';
import { runCli } from './run_cli.ts';

const root = mkdtempSync(join(tmpdir(), 'oasis-ts-cli-'));
after(() => rmSync(root, { recursive: true, force: true }));
const entityDir = join(root, 'entity');
const nodeDir = join(root, 'node');
const mode = (path: string) => statSync(path).mode & 0o777;
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));
let entityId = '';

describe('oasis-ts registry entity init / node init', () => {
  before(async () => {
    const r = await runCli(['registry', 'entity', 'init', '--signer.dir', entityDir]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout + r.stderr, '', 'prints nothing');
    entityId = readJson(join(entityDir, 'entity.json')).id;
  });

  it('creates entity.pem, entity.json and a signed entity_genesis.json, 0600 in a 0700 directory', () => {
    assert.equal(mode(entityDir), 0o700);
    assert.deepEqual(readdirSync(entityDir).sort(), ['entity.json', 'entity.pem', 'entity_genesis.json']);
    for (const f of readdirSync(entityDir)) assert.equal(mode(join(entityDir, f)), 0o600, f);
    const key = loadRoleKey(entityDir, 'entity');
    assert.equal(entityId, toBase64(key.publicKey));
    assert.equal(
      readFileSync(join(entityDir, 'entity.json'), 'utf8'),
      `{\n  "v": 2,\n  "id": "${entityId}"\n}`,
    );
    const signed = signedFromJson(readJson(join(entityDir, 'entity_genesis.json')), 'entity_genesis.json');
    assert.equal(toBase64(openSignedEntity(signed).id), entityId);
    const theirs = oasis.common.openSignedEntity('oasis-core/registry: register entity', signed);
    assert.equal(toBase64(theirs.id), entityId);
  });

  it('refuses to overwrite an existing entity', async () => {
    const before = readFileSync(join(entityDir, 'entity.pem'), 'utf8');
    const r = await runCli(['registry', 'entity', 'init', '--signer.dir', entityDir]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /entity\.pem: already exists, refusing to overwrite/);
    assert.equal(readFileSync(join(entityDir, 'entity.pem'), 'utf8'), before);
  });

  it('node init writes every node key to its own 0600 file and a node_genesis.json the client opens', async () => {
    const r = await runCli([
      'registry',
      'node',
      'init',
      '--signer.dir',
      nodeDir,
      '--node.entity_id',
      entityId,
      '--node.role',
      'validator',
      '--node.consensus_address',
      '127.0.0.1:26656',
      '--node.p2p_address',
      '127.0.0.1:9200',
      '--node.expiration',
      '7',
      '--entity.signer.dir',
      entityDir,
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout + r.stderr, '');
    assert.equal(mode(nodeDir), 0o700);
    for (const f of [
      'identity.pem',
      'consensus.pem',
      'p2p.pem',
      'vrf.pem',
      'tls_identity.pem',
      'node_genesis.json',
    ]) {
      assert.equal(mode(join(nodeDir, f)), 0o600, f);
    }
    const identity = loadNodeIdentity(nodeDir);
    const ms = multiSignedFromJson(readJson(join(nodeDir, 'node_genesis.json')), 'node_genesis.json');
    const node = openMultiSignedNode(ms);
    assert.equal(toHex(node.id), toHex(identity.node.publicKey));
    assert.equal(toBase64(node.entityId), entityId);
    assert.equal(node.expiration, 7n);
    assert.equal(node.roles, NodeRoles.validator);
    assert.equal(toHex(node.tls.pubKey), toHex(identity.tls.publicKey));
    // Without an ID@ part the consensus address carries the P2P key, as oasis-node does.
    assert.equal(toHex(node.consensus.addresses[0]!.id), toHex(identity.p2p.publicKey));
    assert.deepEqual(node.consensus.addresses[0]!.address, {
      ip: Uint8Array.of(127, 0, 0, 1),
      port: 26656,
      zone: '',
    });
    const theirs = oasis.common.openMultiSignedNode('oasis-core/registry: register node', ms);
    assert.equal(toHex(theirs.vrf.id), toHex(identity.vrf.publicKey));
    // The entity now lists the node, in both its descriptor and its re-signed genesis registration.
    assert.deepEqual(readJson(join(entityDir, 'entity.json')).nodes, [toBase64(identity.node.publicKey)]);
    const signed = signedFromJson(readJson(join(entityDir, 'entity_genesis.json')), 'entity_genesis.json');
    assert.deepEqual(openSignedEntity(signed).nodes?.map(toHex), [toHex(identity.node.publicKey)]);
    assert.equal(mode(join(entityDir, 'entity_genesis.json')), 0o600);

    // entity update --entity.node.descriptor sets the node list from descriptor files.
    const update = await runCli([
      'registry',
      'entity',
      'update',
      '--signer.dir',
      entityDir,
      '--entity.node.descriptor',
      join(nodeDir, 'node_genesis.json'),
    ]);
    assert.equal(update.code, 0, update.stderr);
    assert.deepEqual(readJson(join(entityDir, 'entity.json')).nodes, [toBase64(identity.node.publicKey)]);
    // Re-signing replaced the files in place (atomically: no temporary files left behind).
    assert.deepEqual(readdirSync(entityDir).sort(), ['entity.json', 'entity.pem', 'entity_genesis.json']);
  });

  it('refuses to overwrite node keys, and loose key permissions, naming the file', async () => {
    const again = runCli([
      'registry',
      'node',
      'init',
      '--signer.dir',
      nodeDir,
      '--node.entity_id',
      entityId,
      '--node.role',
      'observer',
    ]);
    chmodSync(join(entityDir, 'entity.pem'), 0o644);
    const loose = runCli([
      'registry',
      'node',
      'init',
      '--signer.dir',
      join(root, 'node2'),
      '--node.entity_id',
      entityId,
      '--node.role',
      'observer',
      '--entity.signer.dir',
      entityDir,
    ]);
    const [r1, r2] = await Promise.all([again, loose]);
    assert.equal(r1.code, 1);
    assert.match(r1.stderr, /identity\.pem: already exists, refusing to overwrite/);
    assert.equal(r2.code, 1);
    assert.match(r2.stderr, new RegExp(`${join(entityDir, 'entity.pem')}: permissions 0644 are too open`));
    assert.throws(() => statSync(join(root, 'node2')), /ENOENT/, 'nothing written on failure');
    chmodSync(join(entityDir, 'entity.pem'), 0o600);
  });

  it('answers bad flags with a clear message, status 1 and no files', async () => {
    const dir = join(root, 'bad');
    const base = ['registry', 'node', 'init', '--signer.dir', dir];
    const cases: Array<[string[], RegExp]> = [
      [
        [...base, '--node.entity_id', 'AAAA', '--node.role', 'validator'],
        /--node\.entity_id: expected a 32-byte key/,
      ],
      [
        [...base, '--node.entity_id', entityId, '--node.role', 'miner'],
        /--node\.role: unsupported role "miner"/,
      ],
      [
        [
          ...base,
          '--node.entity_id',
          entityId,
          '--node.role',
          'validator',
          '--node.consensus_address',
          'host:1',
        ],
        /--node\.consensus_address: host "host" is not an IPv4 address/,
      ],
      [
        [...base, '--node.entity_id', entityId, '--node.role', 'validator'],
        /validator nodes require a consensus/,
      ],
      [[...base, '--node.role', 'validator', '--node.expiration', '-1'], /--node\.entity_id: required/],
      [[...base, '--node.entity_id', entityId, '--no-such-flag'], /unknown option '--no-such-flag'/],
    ];
    const results = await Promise.all(cases.map(([args]) => runCli(args)));
    results.forEach((r, i) => {
      assert.equal(r.code, 1, `case ${i}: ${r.stderr}`);
      assert.match(r.stderr, cases[i]![1]);
    });
    assert.throws(() => statSync(dir), /ENOENT/);
  });
});
