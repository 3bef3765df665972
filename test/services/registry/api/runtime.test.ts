import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeCanonical, encodeCanonical } from '../../../../src/codec/cbor.ts';
import { parseJson } from '../../../../src/codec/typed.ts';
import {
  activeDeployment,
  RuntimeKind,
  runtimeCodec,
  TeeHardware,
} from '../../../../src/services/registry/api/runtime.ts';
import { computeRuntime } from '../fixture.ts';

/** A v3 descriptor as `oasis-node registry runtime list -v` prints one (JSON). */
const RUNTIME_JSON = `{
  "v": 3,
  "id": "8000000000000000000000000000000000000000000000000000000000000000",
  "entity_id": "TqUyj5Q+9vZtqu10yw6Zw7HEX3Ywe0JQA9vHyzY47TU=",
  "genesis": { "state_root": "c672b8d1ef56ed28ab87c3622c5114069bdd3ad7b8f9737498d0c01ecef0967a", "round": 0 },
  "kind": "compute",
  "tee_hardware": "invalid",
  "executor": { "group_size": 3, "group_backup_size": 3, "allowed_stragglers": 1, "round_timeout": 5, "max_messages": 256 },
  "txn_scheduler": {
    "batch_flush_timeout": 1000000000,
    "max_batch_size": 100,
    "max_batch_size_bytes": 1048576,
    "propose_batch_timeout": 2000000000
  },
  "storage": { "checkpoint_interval": 100, "checkpoint_num_kept": 2, "checkpoint_chunk_size": 8388608 },
  "admission_policy": { "any_node": {} },
  "constraints": {
    "executor": {
      "backup-worker": { "max_nodes": { "limit": 1 }, "min_pool_size": { "limit": 3 } },
      "worker": { "max_nodes": { "limit": 1 }, "min_pool_size": { "limit": 3 } }
    }
  },
  "staking": {},
  "governance_model": "entity",
  "deployments": [ { "version": { "major": 1, "minor": 2 }, "valid_from": 0 } ]
}`;

describe('runtime descriptor codec', () => {
  it('reads the JSON form with enum names, hex IDs and base64 keys', () => {
    const rt = runtimeCodec.fromJson(parseJson(RUNTIME_JSON), 'runtime');
    assert.equal(rt.kind, RuntimeKind.compute);
    assert.equal(rt.tee_hardware, TeeHardware.invalid);
    assert.equal(rt.id[0], 0x80);
    assert.equal(rt.executor.max_messages, 256);
    assert.equal(rt.txn_scheduler.propose_batch_timeout, 2_000_000_000n);
    assert.equal(rt.constraints.get(1)?.get(2)?.min_pool_size?.limit, 3);
    assert.deepEqual(rt.deployments[0]?.version, { major: 1, minor: 2, patch: 0 });
    assert.equal(activeDeployment(rt, 0n), rt.deployments[0]);
    // CBOR: executor/storage always present, empty staking and absent key manager omitted.
    const cbor = decodeCanonical(encodeCanonical(runtimeCodec.encode(rt))) as Record<string, unknown>;
    assert.deepEqual(Object.keys(cbor).sort(), [
      'admission_policy',
      'constraints',
      'deployments',
      'entity_id',
      'executor',
      'genesis',
      'governance_model',
      'id',
      'kind',
      'storage',
      'tee_hardware',
      'txn_scheduler',
      'v',
    ]);
    assert.deepEqual(runtimeCodec.decode(cbor as never, 'rt'), rt);
  });

  it('writes executor and storage even when zero, omits an all-zero txn scheduler', () => {
    const rt = computeRuntime(1, 1);
    rt.txn_scheduler = {
      batch_flush_timeout: 0n,
      max_batch_size: 0n,
      max_batch_size_bytes: 0n,
      max_in_messages: 0,
      propose_batch_timeout: 0n,
    };
    rt.executor = { ...rt.executor, group_size: 0, group_backup_size: 0, round_timeout: 0n, max_messages: 0 };
    const cbor = runtimeCodec.encode(rt) as Record<string, unknown>;
    assert.deepEqual(cbor.executor, {
      group_size: 0,
      group_backup_size: 0,
      allowed_stragglers: 0,
      round_timeout: 0n,
      max_messages: 0,
    });
    assert.equal('txn_scheduler' in cbor, false);
    assert.deepEqual(cbor.storage, {
      checkpoint_interval: 0n,
      checkpoint_num_kept: 0n,
      checkpoint_chunk_size: 0n,
    });
  });

  it('rejects unknown fields and unknown enum names', () => {
    const json = parseJson(RUNTIME_JSON) as Record<string, unknown>;
    assert.throws(
      () => runtimeCodec.fromJson({ ...json, extra: 1 }, 'runtime'),
      /runtime\.extra: unknown field/,
    );
    assert.throws(() => runtimeCodec.fromJson({ ...json, kind: 'storage' }, 'runtime'), /runtime\.kind/);
  });
});
