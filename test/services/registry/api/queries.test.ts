import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RegistryMethods } from '../../../../src/services/registry/api/methods.ts';
import { RegistryQueries } from '../../../../src/services/registry/api/queries.ts';
import { runtimeCodec } from '../../../../src/services/registry/api/runtime.ts';
import { consensusAddress } from '../../../../src/services/registry/state.ts';
import {
  computeRuntime,
  key,
  nodeDescriptor,
  nodeKeys,
  RegistryChain,
  registryGenesis,
  runtimeId,
  signedEntity,
  signedNode,
  stakedGenesis,
} from '../fixture.ts';

function chain(): RegistryChain {
  return new RegistryChain(
    stakedGenesis([
      [1, 1000n, 1000n],
      [2, 1000n, 1000n],
      [101, 1000n, 0n],
    ]),
    registryGenesis({
      entities: [signedEntity(2), signedEntity(1, [1])],
      runtimes: [computeRuntime(2, 1)],
      suspended_runtimes: [computeRuntime(1, 2)],
    }),
  );
}

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return (err as { code?: number }).code;
  }
  return undefined;
};

describe('registry queries', () => {
  it('answer entities, nodes, statuses, runtimes and parameters in oasis-core shapes', () => {
    const c = chain();
    const desc = nodeDescriptor(1, 1);
    c.run(key(101), RegistryMethods.registerNode, signedNode(desc, 1));
    const s = c.state;
    assert.deepEqual(RegistryQueries.getEntity(s, key(1).publicKey), {
      v: 2,
      id: key(1).publicKey,
      nodes: [desc.id],
    });
    assert.equal(
      codeOf(() => RegistryQueries.getEntity(s, key(3).publicKey)),
      9,
    );
    assert.equal(RegistryQueries.getEntities(s).length, 2);
    assert.deepEqual((RegistryQueries.getNode(s, desc.id) as { id: Uint8Array }).id, desc.id);
    assert.equal(
      codeOf(() => RegistryQueries.getNode(s, key(3).publicKey)),
      10,
    );
    assert.equal(RegistryQueries.getNodes(s).length, 1);
    const byAddress = RegistryQueries.getNodeByConsensusAddress(
      s,
      consensusAddress(nodeKeys(1).consensus.publicKey),
    );
    assert.deepEqual((byAddress as { id: Uint8Array }).id, desc.id);
    assert.deepEqual(RegistryQueries.getNodeStatus(s, desc.id), {
      expiration_processed: false,
      freeze_end_time: 0n,
      election_eligible_after: (1n << 64n) - 1n,
    });
    assert.deepEqual(
      RegistryQueries.getRuntimes(s).map((r) => runtimeCodec.decode(r as never, 'r').id),
      [runtimeId(2)],
    );
    assert.deepEqual(
      RegistryQueries.getRuntimes(s, true).map((r) => runtimeCodec.decode(r as never, 'r').id),
      [runtimeId(1), runtimeId(2)],
    );
    assert.equal(
      codeOf(() => RegistryQueries.getRuntime(s, runtimeId(1))),
      11,
    );
    assert.deepEqual(
      (RegistryQueries.getRuntime(s, runtimeId(1), true) as { id: Uint8Array }).id,
      runtimeId(1),
    );
    const params = RegistryQueries.consensusParameters(s) as Record<string, unknown>;
    assert.equal(params.max_node_expiration, 5n);
    assert.deepEqual(params.enable_runtime_governance_models, new Map([[1, true]]));
  });

  it('GetEvents lists a block registry events with height and tx hash', () => {
    const c = chain();
    const block = c.block([
      c.sign(key(101), RegistryMethods.registerNode, signedNode(nodeDescriptor(1, 1), 1)),
    ]);
    const events = RegistryQueries.getEvents(7, [...block.results[0]!.events, ...block.events]);
    assert.equal(events.length, 1);
    assert.equal(events[0]!.height, 7);
    assert.equal((events[0]!.tx_hash as Uint8Array).length, 32);
    assert.deepEqual(Object.keys(events[0]!).sort(), ['height', 'node', 'tx_hash']);
  });
});
