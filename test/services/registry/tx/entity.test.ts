import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeCanonical } from '../../../../src/codec/cbor.ts';
import { entityCodec } from '../../../../src/services/registry/api/entity.ts';
import { RegistryMethods } from '../../../../src/services/registry/api/methods.ts';
import {
  addr,
  computeRuntime,
  key,
  nodeDescriptor,
  RegistryChain,
  registryGenesis,
  registryParams,
  runtimeBody,
  signedEntity,
  signedNode,
  stakedGenesis,
} from '../fixture.ts';
import { expectFailure, expectOk } from '../helpers.ts';

const { registerEntity, deregisterEntity } = RegistryMethods;

function chain(): RegistryChain {
  return new RegistryChain(
    stakedGenesis([
      [1, 1000n, 1000n],
      [2, 1000n, 50n],
      [3, 1000n, 1000n],
    ]),
    registryGenesis(),
  );
}

describe('registry.RegisterEntity', () => {
  it('stores the signed entity, claims the entity threshold and emits the event', () => {
    const c = chain();
    const res = c.run(key(1), registerEntity, signedEntity(1, [5, 6]));
    expectOk(res);
    const stored = c.registry.entity(key(1).publicKey)!;
    assert.equal(stored.nodes?.length, 2);
    assert.deepEqual(c.staking.account(addr(1)).escrow.claims.get('registry.RegisterEntity'), [
      { global: 0 },
    ]);
    assert.equal(res.gasUsed, 3000n); // register_entity + 2 × register_node
    const ev = res.events.find((e) => e.module === 'registry' && e.kind === 'entity')!;
    const value = ev.value as { entity: Record<string, unknown>; is_registration: boolean };
    assert.equal(value.is_registration, true);
    assert.deepEqual(entityCodec.decode(value.entity as never, 'e').id, key(1).publicKey);
  });

  it('fails: bad signature (2), malformed body (1), wrong signer (12), stake (staking/4)', () => {
    const c = chain();
    const tampered = signedEntity(1);
    tampered.signature.signature = tampered.signature.signature.slice();
    tampered.signature.signature[0]! ^= 1;
    expectFailure(c, key(1), registerEntity, tampered, 'registry', 2);
    expectFailure(c, key(1), registerEntity, { nope: 1 }, 'registry', 1);
    expectFailure(c, key(3), registerEntity, signedEntity(1), 'registry', 12);
    expectFailure(c, key(2), registerEntity, signedEntity(2), 'staking', 4);
    // The descriptor is signed by the entity key, but a different key signs the descriptor bytes.
    const wrongKey = signedEntity(1);
    const other = signedEntity(3);
    expectFailure(c, key(1), registerEntity, { ...wrongKey, signature: other.signature }, 'registry', 2);
    assert.equal(decodeCanonical(wrongKey.untrusted_raw_value) !== undefined, true);
  });
});

describe('registry.DeregisterEntity', () => {
  it('removes the entity and its claim', () => {
    const c = chain();
    expectOk(c.run(key(1), registerEntity, signedEntity(1)));
    const res = c.run(key(1), deregisterEntity, undefined);
    expectOk(res);
    assert.equal(c.registry.entity(key(1).publicKey), undefined);
    assert.equal(c.staking.account(addr(1)).escrow.claims.size, 0);
    const ev = res.events.find((e) => e.kind === 'entity')!.value as { is_registration: boolean };
    assert.equal(ev.is_registration, false);
  });

  it('fails: unknown entity (9), entity with nodes (15), entity with runtimes (19)', () => {
    const c = chain();
    expectFailure(c, key(1), deregisterEntity, undefined, 'registry', 9);
    c.closeOpenBlock();
    expectOk(c.run(key(1), registerEntity, signedEntity(1, [1])));
    expectOk(c.run(key(101), RegistryMethods.registerNode, signedNode(nodeDescriptor(1, 1), 1)));
    expectFailure(c, key(1), deregisterEntity, undefined, 'registry', 15);
    c.closeOpenBlock();
    expectOk(c.run(key(3), registerEntity, signedEntity(3)));
    expectOk(c.run(key(3), RegistryMethods.registerRuntime, runtimeBody(computeRuntime(1, 3, c.epoch + 5n))));
    expectFailure(c, key(3), deregisterEntity, undefined, 'registry', 19);
  });
});

describe('registry.ProveFreshness', () => {
  it('is an invalid argument (1) until freshness proofs are enabled, then charges gas and stores nothing', () => {
    const c = chain();
    expectFailure(c, key(1), RegistryMethods.proveFreshness, new Uint8Array(32), 'registry', 1);
    const enabled = new RegistryChain(
      stakedGenesis([[1, 1000n, 1000n]]),
      registryGenesis({
        params: registryParams({
          tee_features: {
            sgx: { pcs: true, signed_attestations: false, max_attestation_age: 0n, tdx: false },
            freshness_proofs: true,
          },
        }),
      }),
    );
    expectFailure(enabled, key(1), RegistryMethods.proveFreshness, new Uint8Array(31), 'registry', 1);
    enabled.closeOpenBlock();
    const before = enabled.snapshot();
    const res = enabled.deliverOnly(enabled.sign(key(1), RegistryMethods.proveFreshness, new Uint8Array(32)));
    expectOk(res);
    assert.equal(res.gasUsed, 1000n);
    assert.deepEqual(enabled.snapshot(), enabled.expectedAfterFailure(before, key(1).publicKey, 0n));
  });
});
