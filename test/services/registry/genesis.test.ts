import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toBase64 } from '../../../src/codec/bytes.ts';
import { decodeCanonical, encodeCanonical } from '../../../src/codec/cbor.ts';
import { parseJson, stringifyJson } from '../../../src/codec/typed.ts';
import { registryGenesisCodec } from '../../../src/services/registry/api/genesis.ts';
import { NodeRoles } from '../../../src/services/registry/api/node.ts';
import { RegistryQueries } from '../../../src/services/registry/api/queries.ts';
import {
  addr,
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

const staking = () =>
  stakedGenesis([
    [1, 1000n, 1000n],
    [2, 1000n, 1000n],
  ]);

function fullGenesis() {
  return registryGenesis({
    entities: [signedEntity(1, [1, 2]), signedEntity(2, [3])],
    runtimes: [computeRuntime(1, 1)],
    suspended_runtimes: [computeRuntime(2, 2)],
    nodes: [
      signedNode(nodeDescriptor(1, 1), 1),
      signedNode(nodeDescriptor(2, 1, { roles: NodeRoles.computeWorker, runtimes: [runtimeId(1)] }), 2),
      signedNode(nodeDescriptor(3, 2), 3),
    ],
    node_statuses: new Map([
      [
        nodeDescriptor(3, 2).id,
        { expiration_processed: false, freeze_end_time: 7n, election_eligible_after: 0n, faults: new Map() },
      ],
    ]),
  });
}

describe('registry genesis', () => {
  it('loads entities, runtimes, suspended runtimes, nodes and statuses with their claims', () => {
    const c = new RegistryChain(staking(), fullGenesis());
    const reg = c.registry;
    assert.equal([...reg.entities()].length, 2);
    assert.equal(reg.runtimes().length, 1);
    assert.equal(reg.suspendedRuntimes().length, 1);
    assert.equal(reg.nodes().length, 3);
    assert.equal(reg.nodeStatus(nodeDescriptor(3, 2).id).freeze_end_time, 7n);
    const claims = [...c.staking.account(addr(1)).escrow.claims.keys()].sort();
    assert.deepEqual(
      claims,
      [
        'registry.RegisterEntity',
        `registry.RegisterNode.${toBase64(nodeDescriptor(1, 1).id)}`,
        `registry.RegisterNode.${toBase64(nodeDescriptor(2, 1).id)}`,
        `registry.RegisterRuntime.${'00'.repeat(31)}01`,
      ].sort(),
    );
    // State → genesis → state gives back the same section.
    const exported = RegistryQueries.stateToGenesis(c.state);
    const again = new RegistryChain(
      staking(),
      registryGenesisCodec.decode(decodeCanonical(encodeCanonical(exported)), 'g'),
    );
    assert.deepEqual(RegistryQueries.stateToGenesis(again.state), exported);
  });

  it('round-trips through the JSON genesis file form', () => {
    const g = fullGenesis();
    const json = stringifyJson(registryGenesisCodec.toJson(g));
    const back = registryGenesisCodec.fromJson(parseJson(json), 'registry');
    assert.deepEqual(
      encodeCanonical(registryGenesisCodec.encode(back)),
      encodeCanonical(registryGenesisCodec.encode(g)),
    );
    assert.match(json, /"governance_model": "entity"/);
    assert.match(json, /"id": "0{62}01"/);
  });

  it('rejects a broken genesis naming the item', () => {
    const cases: Array<[string, ReturnType<typeof registryGenesis>, RegExp]> = [
      [
        'node of an unknown entity',
        registryGenesis({ entities: [signedEntity(1, [1])], nodes: [signedNode(nodeDescriptor(1, 2), 1)] }),
        new RegExp(
          `nodes\\[0\\] \\(node ${escapeRegex(toBase64(nodeDescriptor(1, 2).id))}\\): registry: no such entity`,
        ),
      ],
      [
        'entity with a bad signature',
        registryGenesis({ entities: [{ ...signedEntity(1), signature: signedEntity(2).signature }] }),
        /entities\[0\] \(entity .*\): registry: invalid signature/,
      ],
      [
        'runtime with no executor group',
        registryGenesis({
          entities: [signedEntity(1)],
          runtimes: [
            { ...computeRuntime(1, 1), executor: { ...computeRuntime(1, 1).executor, group_size: 0 } },
          ],
        }),
        /runtimes\[0\] \(runtime 0{62}01\): registry: invalid argument: bad executor parameters/,
      ],
      [
        'node serving an unknown runtime',
        registryGenesis({
          entities: [signedEntity(1, [1])],
          nodes: [
            signedNode(nodeDescriptor(1, 1, { roles: NodeRoles.computeWorker, runtimes: [runtimeId(4)] }), 1),
          ],
        }),
        /nodes\[0\] .*: registry: no such runtime/,
      ],
      [
        'status of an unknown node',
        registryGenesis({
          node_statuses: new Map([[key(9).publicKey, fullGenesis().node_statuses.values().next().value!]]),
        }),
        /node_statuses\[.*\]: registry: no such node/,
      ],
      [
        'entity without stake',
        registryGenesis({ entities: [signedEntity(3)] }),
        /entities\[0\] .*: staking: insufficient stake/,
      ],
    ];
    for (const [what, g, message] of cases) {
      assert.throws(() => new RegistryChain(staking(), g), message, what);
    }
  });
});

function escapeRegex(s: string): string {
  return s.replace(/[+/]/g, (c) => `\\${c}`);
}
