import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RegistryMethods } from '../../../src/services/registry/api/methods.ts';
import { RegistryService } from '../../../src/services/registry/service.ts';
import { key, RegistryChain, registryGenesis, signedEntity, stakedGenesis } from './fixture.ts';

function chain(): RegistryChain {
  return new RegistryChain(stakedGenesis([[1, 1000n, 1000n]]), registryGenesis());
}

describe('registry service in the mux', () => {
  it('serves every registry method at oasis-core priority', () => {
    const s = new RegistryService();
    assert.equal(s.name, '200_registry');
    assert.equal(s.priority, 50_000n);
    assert.deepEqual([...s.methods].sort(), Object.values(RegistryMethods).sort());
  });

  it('CheckTx verifies entity signatures but changes no registry state', () => {
    const c = chain();
    const ok = c.mux.checkTx(
      c.state,
      c.sign(key(1), RegistryMethods.registerEntity, signedEntity(1)),
      c.height,
    );
    assert.equal(ok.error, undefined);
    assert.equal(ok.priority, 50_000n);
    assert.equal(c.registry.entity(key(1).publicKey), undefined);
    const bad = signedEntity(1);
    bad.signature = signedEntity(2).signature;
    const rejected = c.mux.checkTx(c.state, c.sign(key(1), RegistryMethods.registerEntity, bad), c.height);
    assert.deepEqual([rejected.error?.module, rejected.error?.code], ['registry', 2]);
  });

  it('estimates register_entity gas plus register_node per listed node', () => {
    const c = chain();
    const block = c.mux.newBlock(c.state, {
      height: c.height,
      time: 0,
      proposer: new Uint8Array(0),
      lastCommit: [],
      misbehavior: [],
    });
    const raw = c.sign(key(1), RegistryMethods.registerEntity, signedEntity(1, [1, 2, 3]));
    assert.equal(c.mux.estimateGas(c.state, block, raw), 4000n);
    assert.equal(c.registry.entity(key(1).publicKey), undefined);
  });
});
