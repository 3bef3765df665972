import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateAdmissionPolicy } from '../../../src/services/registry/admission.ts';
import { RegistryMethods } from '../../../src/services/registry/api/methods.ts';
import { NodeRoles } from '../../../src/services/registry/api/node.ts';
import type { Runtime } from '../../../src/services/registry/api/runtime.ts';
import {
  computeRuntime,
  key,
  nodeDescriptor,
  RegistryChain,
  registryGenesis,
  runtimeId,
  signedEntity,
  signedNode,
  stakedGenesis,
} from './fixture.ts';
import { expectFailure, expectOk } from './helpers.ts';

const compute = (n: number, entity: number) =>
  signedNode(nodeDescriptor(n, entity, { roles: NodeRoles.computeWorker, runtimes: [runtimeId(1)] }), n);

function chain(policy: Runtime['admission_policy']): RegistryChain {
  const rt = { ...computeRuntime(1, 1), admission_policy: policy };
  return new RegistryChain(
    stakedGenesis([
      [1, 1000n, 1000n],
      [2, 1000n, 1000n],
      [101, 1000n, 0n],
      [102, 1000n, 0n],
      [103, 1000n, 0n],
    ]),
    registryGenesis({ entities: [signedEntity(1, [1, 2]), signedEntity(2, [3])], runtimes: [rt] }),
  );
}

describe('runtime admission policies', () => {
  it('entity whitelist: other entities are forbidden (16), per-role caps count live nodes', () => {
    const c = chain({
      any_node: undefined,
      entity_whitelist: {
        entities: new Map([[key(1).publicKey, { max_nodes: new Map([[NodeRoles.computeWorker, 1]]) }]]),
      },
      per_role: new Map(),
    });
    expectFailure(c, key(103), RegistryMethods.registerNode, compute(3, 2), 'registry', 16);
    c.closeOpenBlock();
    expectOk(c.run(key(101), RegistryMethods.registerNode, compute(1, 1)));
    // Re-registering the same node is not counted against the cap.
    expectOk(c.run(key(101), RegistryMethods.registerNode, compute(1, 1)));
    expectFailure(c, key(102), RegistryMethods.registerNode, compute(2, 1), 'registry', 16);
  });

  it('per-role whitelist applies to the roles it names', () => {
    const c = chain({
      any_node: undefined,
      entity_whitelist: undefined,
      per_role: new Map([
        [
          NodeRoles.computeWorker,
          { entity_whitelist: { entities: new Map([[key(2).publicKey, { max_nodes: 0 }]]) } },
        ],
      ]),
    });
    expectFailure(c, key(101), RegistryMethods.registerNode, compute(1, 1), 'registry', 16);
    c.closeOpenBlock();
    expectOk(c.run(key(103), RegistryMethods.registerNode, compute(3, 2)));
  });

  it('a policy must be exactly one of any-node or whitelists, keyed by single roles', () => {
    const whitelist = { entities: new Map() };
    assert.throws(
      () => validateAdmissionPolicy({ any_node: {}, entity_whitelist: whitelist, per_role: new Map() }),
      /invalid admission policy/,
    );
    assert.throws(
      () =>
        validateAdmissionPolicy({ any_node: undefined, entity_whitelist: undefined, per_role: new Map() }),
      /invalid admission policy/,
    );
    assert.throws(
      () =>
        validateAdmissionPolicy({
          any_node: undefined,
          entity_whitelist: undefined,
          per_role: new Map([
            [NodeRoles.computeWorker | NodeRoles.observer, { entity_whitelist: undefined }],
          ]),
        }),
      /non-single role/,
    );
    validateAdmissionPolicy({ any_node: {}, entity_whitelist: undefined, per_role: new Map() });
  });
});
