import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toHex } from '../../../src/codec/bytes.ts';
import { decodeCanonical, encodeCanonical } from '../../../src/codec/cbor.ts';
import { parseJson, stringifyJson } from '../../../src/codec/typed.ts';
import { Ed25519KeyPair } from '../../../src/crypto/ed25519.ts';
import {
  executorGroupSizes,
  localnetRuntimeId,
  PARATIME_VERSION,
  paraTimeRuntimeDescriptor,
} from '../../../src/runtime/node/descriptor.ts';
import { defaultRegistryParameters } from '../../../src/services/registry/api/params.ts';
import {
  activeDeployment,
  isKeyManagerRuntimeId,
  isTestRuntimeId,
  runtimeCodec,
} from '../../../src/services/registry/api/runtime.ts';
import { verifyRuntime } from '../../../src/services/registry/verify_runtime.ts';
import { SlashReason } from '../../../src/services/staking/api/params.ts';

const owner = Ed25519KeyPair.fromSeed(new Uint8Array(32).fill(3)).publicKey;
const root = new Uint8Array(32).fill(0xab);

function descriptor(computeNodes: number) {
  return paraTimeRuntimeDescriptor({
    id: localnetRuntimeId(),
    owner,
    genesisStateRoot: root,
    computeNodes,
    slashAmount: 1000n,
  });
}

describe('localnet runtime IDs', () => {
  it('set the test flag (bit 63) and carry the index in the last bytes', () => {
    assert.equal(toHex(localnetRuntimeId()), `80${'0'.repeat(62)}`);
    assert.equal(toHex(localnetRuntimeId(258)), `80${'0'.repeat(58)}0102`);
    assert.ok(isTestRuntimeId(localnetRuntimeId(5)));
    assert.ok(!isKeyManagerRuntimeId(localnetRuntimeId(5)));
    assert.throws(() => localnetRuntimeId(-1), RangeError);
  });
});

describe('ParaTime runtime descriptor', () => {
  it('sizes the executor committee as n−1 workers and the rest backups', () => {
    assert.deepEqual(executorGroupSizes(1), { workers: 1, backups: 0 });
    assert.deepEqual(executorGroupSizes(2), { workers: 1, backups: 1 });
    assert.deepEqual(executorGroupSizes(3), { workers: 2, backups: 1 });
    assert.deepEqual(executorGroupSizes(5), { workers: 4, backups: 1 });
    assert.throws(() => executorGroupSizes(0), /at least one compute node/);
    const rt = descriptor(3);
    assert.equal(rt.executor.group_size, 2);
    assert.equal(rt.executor.group_backup_size, 1);
    assert.equal(rt.executor.allowed_stragglers, 0);
    assert.equal(rt.executor.round_timeout, 5n);
  });

  it('passes the registry checks of a network that allows test runtimes, and only such a network', () => {
    const params = { ...defaultRegistryParameters(), debug_allow_test_runtimes: true };
    for (const n of [1, 2, 3, 7]) verifyRuntime(descriptor(n), params, 0n);
    assert.throws(() => verifyRuntime(descriptor(3), defaultRegistryParameters(), 0n), {
      module: 'registry',
      message: /test runtime not allowed/,
    });
  });

  it('deploys version 1.0.0 from epoch 0 with the given owner and genesis root', () => {
    const rt = descriptor(3);
    assert.deepEqual(activeDeployment(rt, 0n)?.version, PARATIME_VERSION);
    assert.deepEqual(rt.entity_id, owner);
    assert.deepEqual(rt.genesis, { state_root: root, round: 0n });
    assert.equal(rt.tee_hardware, 0);
    assert.ok(rt.admission_policy.any_node !== undefined);
  });

  it('slashes incorrect results and equivocation, rewarding the honest half', () => {
    const rt = paraTimeRuntimeDescriptor({
      id: localnetRuntimeId(),
      owner,
      genesisStateRoot: root,
      computeNodes: 3,
      slashAmount: 77n,
      freezeInterval: 2n,
    });
    assert.deepEqual(rt.staking.slashing.get(SlashReason.runtimeIncorrectResults), {
      amount: 77n,
      freeze_interval: 2n,
    });
    assert.equal(rt.staking.slashing.get(SlashReason.runtimeEquivocation)?.amount, 77n);
    assert.equal(rt.staking.reward_bad_results, 50);
  });

  it('round-trips through CBOR and oasis-core JSON', () => {
    const rt = descriptor(3);
    const cbor = encodeCanonical(runtimeCodec.encode(rt));
    assert.deepEqual(runtimeCodec.decode(decodeCanonical(cbor), 'runtime'), rt);
    const json = stringifyJson(runtimeCodec.toJson(rt));
    assert.match(json, /"runtime-incorrect-results": \{/);
    assert.match(json, /"id": "8000000000000000000000000000000000000000000000000000000000000000"/);
    assert.deepEqual(runtimeCodec.fromJson(parseJson(json), 'runtime'), rt);
  });
});
