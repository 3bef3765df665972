import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as oasis from '@oasisprotocol/client';
import { toBase64, toHex } from '../../../src/codec/bytes.ts';
import { encodeCanonical } from '../../../src/codec/cbor.ts';
import { stringifyJson } from '../../../src/codec/typed.ts';
import { openSignedTransaction } from '../../../src/consensus/api/transaction.ts';
import { parseJsonFile, signedFromJson } from '../../../src/crypto/signer/json_files.ts';
import { RegistryBodies, RegistryMethods } from '../../../src/services/registry/api/methods.ts';
import { runtimeCodec } from '../../../src/services/registry/api/runtime.ts';
import { computeRuntime } from '../../services/registry/fixture.ts';
import { makeNetwork, runCommand, type TestNetwork } from './harness.ts';

describe('registry runtime gen_register', () => {
  let net: TestNetwork;
  let n = 0;
  before(async () => {
    net = await makeNetwork();
  });
  after(() => net.cleanup());

  /** The test runtime owned by the network's entity, in oasis-core's JSON form. */
  function descriptorJson() {
    const rt = computeRuntime(7, 1);
    rt.entity_id = net.entity.publicKey;
    rt.executor.group_size = 3;
    return { rt, json: JSON.parse(stringifyJson(runtimeCodec.toJson(rt))) as Record<string, unknown> };
  }

  function writeDescriptor(content: unknown): string {
    const path = join(net.dir, `runtime${n++}.json`);
    writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
    return path;
  }

  const gen = (descriptor: string | undefined, txFile: string) =>
    runCommand([
      'registry',
      'runtime',
      'gen_register',
      ...(descriptor === undefined ? [] : ['--runtime.descriptor', descriptor]),
      '--transaction.file',
      txFile,
      '--transaction.nonce',
      '3',
      '--transaction.fee.gas',
      '5000',
      '--genesis.file',
      net.genesisPath,
      '--signer.dir',
      net.entityDir,
    ]);

  it('writes a signed RegisterRuntime transaction whose body is the descriptor', async () => {
    const { rt, json } = descriptorJson();
    const txFile = join(net.dir, 'register_runtime.json');
    const r = await gen(writeDescriptor(json), txFile);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Method: registry\.RegisterRuntime/);
    assert.match(
      r.stdout,
      new RegExp(
        `Runtime: {4}${toHex(rt.id)} \\(compute\\)\n {2}Entity: {5}${toBase64(rt.entity_id).replace(/[+]/g, '\\+')}`,
      ),
    );

    const signed = signedFromJson(parseJsonFile(readFileSync(txFile, 'utf8'), txFile), txFile);
    const opened = openSignedTransaction(encodeCanonical(signed), net.chainContext);
    assert.deepEqual(opened.signer, net.entity.publicKey);
    assert.equal(opened.tx.method, RegistryMethods.registerRuntime);
    assert.equal(opened.tx.nonce, 3n);
    assert.deepEqual(opened.tx.fee, { amount: 0n, gas: 5000n });
    const body = RegistryBodies.registerRuntime(opened.tx.body);
    assert.deepEqual(body, rt);
    assert.equal(body.executor.group_size, 3);

    const official = oasis.consensus.openSignedTransaction(net.chainContext, signed) as {
      method: string;
      body: { id: Uint8Array; executor: { group_size: number } };
    };
    assert.equal(official.method, 'registry.RegisterRuntime');
    assert.deepEqual(official.body.id, rt.id);
    assert.equal(official.body.executor.group_size, 3);
    assert.throws(() => openSignedTransaction(encodeCanonical(signed), '00'.repeat(32)));
  });

  it('refuses a malformed descriptor, naming the field', async () => {
    const txFile = join(net.dir, 'never.json');
    const { json } = descriptorJson();
    const badKind = await gen(writeDescriptor({ ...json, kind: 'storage' }), txFile);
    assert.equal(badKind.code, 1);
    assert.match(
      badKind.stderr,
      /--runtime\.descriptor: .*runtime\d\.json: not a valid runtime descriptor: .*runtime\.kind/,
    );

    const { executor, ...noExecutorFields } = json as { executor: Record<string, unknown> };
    const badGroup = await gen(
      writeDescriptor({ ...noExecutorFields, executor: { ...executor, group_size: 'three' } }),
      txFile,
    );
    assert.equal(badGroup.code, 1);
    assert.match(badGroup.stderr, /runtime\.executor\.group_size/);

    const { entity_id: _, ...noEntity } = json;
    const missing = await gen(writeDescriptor(noEntity), txFile);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /runtime\.entity_id/);

    const notJson = await gen(writeDescriptor('{"v": 3,'), txFile);
    assert.equal(notJson.code, 1);
    assert.match(notJson.stderr, /--runtime\.descriptor: .*invalid JSON/);

    const absent = await gen(join(net.dir, 'nope.json'), txFile);
    assert.match(absent.stderr, /--runtime\.descriptor: .*nope\.json: does not exist/);

    const noFlag = await gen(undefined, txFile);
    assert.match(noFlag.stderr, /--runtime\.descriptor: required/);
    assert.throws(() => readFileSync(txFile), /ENOENT/, 'nothing is written for a refused descriptor');
  });
});
