import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toBase64 } from '../../../src/codec/bytes.ts';
import { checkRegistryInvariants } from '../../../src/services/registry/sanity.ts';
import {
  addr,
  nodeDescriptor,
  RegistryChain,
  registryGenesis,
  signedEntity,
  signedNode,
  stakedGenesis,
} from './fixture.ts';

function chain(): RegistryChain {
  return new RegistryChain(
    stakedGenesis([[1, 1000n, 1000n]]),
    registryGenesis({ entities: [signedEntity(1, [1])], nodes: [signedNode(nodeDescriptor(1, 1), 1)] }),
  );
}

describe('registry invariants', () => {
  it('hold for a valid registry and name a node whose stake claim is gone', () => {
    const c = chain();
    checkRegistryInvariants(c.state);
    const st = c.staking;
    const account = st.account(addr(1));
    account.escrow.claims.delete(`registry.RegisterNode.${toBase64(nodeDescriptor(1, 1).id)}`);
    st.setAccount(addr(1), account);
    assert.throws(
      () => checkRegistryInvariants(c.state),
      /registry: node .*: entity holds no stake claim for it/,
    );
  });

  it('name a node whose entity is gone', () => {
    const c = chain();
    c.registry.removeEntity(nodeDescriptor(1, 1).entityId);
    assert.throws(() => checkRegistryInvariants(c.state), /entity not registered/);
  });
});
