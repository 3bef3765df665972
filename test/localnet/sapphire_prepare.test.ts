import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { fromHex, toHex } from '../../src/codec/bytes.ts';
import { readGenesisFile } from '../../src/genesis/document.ts';
import type { LocalnetManifest } from '../../src/localnet/manifest.ts';
import { localnetRuntimeIndices } from '../../src/localnet/paratime.ts';
import { prepareLocalnet } from '../../src/localnet/prepare.ts';
import { loadConfig } from '../../src/node/config.ts';
import { checkGenesis } from '../../src/node/genesis_check.ts';
import { NodeRoles } from '../../src/services/registry/api/node.ts';
import { RuntimeKind } from '../../src/services/registry/api/runtime.ts';
import { RegistryStateReader } from '../../src/services/registry/state.ts';
import { LocalnetChain } from './chain.ts';

describe('localnet with the confidential EVM (accounts,evm,sapphire)', () => {
  let dir: string;
  let net: LocalnetManifest;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sapphire-net-'));
    net = await prepareLocalnet({
      dir,
      validators: 1,
      compute: 2,
      runtimes: ['accounts', 'evm', 'sapphire'],
    });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('registers a key manager runtime that the sapphire runtime names, served by its own node', () => {
    const doc = readGenesisFile(net.genesis_file);
    assert.ok(checkGenesis(doc) > 0);
    const registry = new RegistryStateReader(new LocalnetChain(doc).state);
    const sapphire = net.runtimes.find((r) => r.name === 'sapphire')!;
    const keyManagerId = registry.runtime(fromHex(sapphire.id))!.key_manager!;
    assert.equal(registry.runtime(keyManagerId)!.kind, RuntimeKind.keymanager);
    assert.equal(toHex(keyManagerId), `c000000000000000${'f'.repeat(48)}`);
    const evm = net.runtimes.find((r) => r.name === 'evm')!;
    assert.equal(registry.runtime(fromHex(evm.id))!.key_manager, undefined);
    const kmNodes = registry.nodes().filter((n) => (n.roles & NodeRoles.keyManager) !== 0);
    assert.equal(kmNodes.length, 1);
    assert.deepEqual(
      kmNodes[0]!.runtimes.map((r) => toHex(r.id)),
      [toHex(keyManagerId)],
    );
  });

  it('gives sapphire sapphire-localnet’s runtime ID 80…00 and the others the next ones, in order', () => {
    assert.deepEqual(
      net.runtimes.map((r) => [r.name, r.id]),
      [
        ['accounts', `80${'0'.repeat(61)}1`],
        ['evm', `80${'0'.repeat(61)}2`],
        ['sapphire', `80${'0'.repeat(62)}`],
      ],
    );
    assert.deepEqual(
      localnetRuntimeIndices(['evm', 'accounts']),
      [0, 1],
      'without sapphire: the order given',
    );
  });

  it('configures the key manager node (insecure, allowed explicitly) and a JSON-RPC per EVM', () => {
    const node = net.nodes.find((n) => n.name === 'keymanager-0')!;
    assert.deepEqual(node.roles, ['keymanager']);
    const config = loadConfig(node.config);
    const sapphire = net.runtimes.find((r) => r.name === 'sapphire')!;
    assert.deepEqual(config.keymanager?.may_query, [sapphire.id]);
    assert.equal(config.debug.allow_insecure_keymanager, true);
    assert.deepEqual(config.runtimes, []);
    assert.equal(sapphire.chain_id, 0x5afd);
    const evm = net.runtimes.find((r) => r.name === 'evm')!;
    assert.equal(evm.chain_id, 42260);
    assert.ok(evm.web3 && sapphire.web3 && evm.web3 !== sapphire.web3);
    const compute1 = parseYaml(readFileSync(net.nodes.find((n) => n.name === 'compute-1')!.config, 'utf8'));
    assert.equal(compute1.web3.runtime_id, sapphire.id);
    // Without the debug switch the key manager section is refused.
    const raw = parseYaml(readFileSync(node.config, 'utf8'));
    assert.throws(
      () => loadConfig(undefined, { ...raw, debug: { ...raw.debug, allow_insecure_keymanager: false } }),
      /debug.allow_insecure_keymanager/,
    );
  });
});
